package dev.sfutriage.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A classified incident (data-contract §8): symptom, likely cause, resolution, and the evidence. */
@DefaultSchema(JavaFieldSchema.class)
public final class Incident implements Serializable {
  public final String incidentId;
  public final String symptom;
  public final String cause;
  public final @Nullable String seminarId;
  public final @Nullable String sessionId;
  public final @Nullable String userId;
  public final @Nullable String platform;
  public final @Nullable String appVersion;
  public final long firstSeenMicros;
  public final long lastSeenMicros;
  public final String severity;
  public final String title;
  public final String summary;
  public final String resolution;
  public final List<Integer> checklist;
  public final List<Evidence> evidence;
  /** Whether the cause is a root cause participants share (a backend outage): such incidents group into problems. */
  public final boolean sharedCause;
  /** What the rules checked to decide the cause, including the counter-evidence ("11 other users ... connected"). */
  public final List<String> checks;
  /** The problem (shared root cause) this incident belongs to; set by the Problems stage. */
  public final @Nullable String problemId;

  public Incident(String incidentId, String symptom, String cause, @Nullable String seminarId,
      @Nullable String sessionId, @Nullable String userId, @Nullable String platform,
      @Nullable String appVersion, long firstSeenMicros, long lastSeenMicros, String severity, String title,
      String summary, String resolution, List<Integer> checklist, List<Evidence> evidence) {
    this(incidentId, symptom, cause, seminarId, sessionId, userId, platform, appVersion, firstSeenMicros,
        lastSeenMicros, severity, title, summary, resolution, checklist, evidence, false, List.of(), null);
  }

  @SchemaCreate
  public Incident(String incidentId, String symptom, String cause, @Nullable String seminarId,
      @Nullable String sessionId, @Nullable String userId, @Nullable String platform,
      @Nullable String appVersion, long firstSeenMicros, long lastSeenMicros, String severity, String title,
      String summary, String resolution, List<Integer> checklist, List<Evidence> evidence, boolean sharedCause,
      List<String> checks, @Nullable String problemId) {
    this.incidentId = incidentId;
    this.symptom = symptom;
    this.cause = cause;
    this.seminarId = seminarId;
    this.sessionId = sessionId;
    this.userId = userId;
    this.platform = platform;
    this.appVersion = appVersion;
    this.firstSeenMicros = firstSeenMicros;
    this.lastSeenMicros = lastSeenMicros;
    this.severity = severity;
    this.title = title;
    this.summary = summary;
    this.resolution = resolution;
    this.checklist = List.copyOf(checklist);
    this.evidence = List.copyOf(evidence);
    this.sharedCause = sharedCause;
    this.checks = List.copyOf(checks);
    this.problemId = problemId;
  }

  /** This incident as a member of a problem. */
  public Incident withProblem(String id) {
    return new Incident(incidentId, symptom, cause, seminarId, sessionId, userId, platform, appVersion,
        firstSeenMicros, lastSeenMicros, severity, title, summary, resolution, checklist, evidence, sharedCause, checks, id);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Incident)) {
      return false;
    }
    Incident i = (Incident) o;
    return incidentId.equals(i.incidentId) && cause.equals(i.cause) && firstSeenMicros == i.firstSeenMicros
        && lastSeenMicros == i.lastSeenMicros && summary.equals(i.summary) && evidence.equals(i.evidence)
        && Objects.equals(platform, i.platform) && checks.equals(i.checks) && Objects.equals(problemId, i.problemId);
  }

  @Override
  public int hashCode() {
    return incidentId.hashCode();
  }

  @Override
  public String toString() {
    return symptom + "/" + cause + " " + seminarId + " " + (userId != null ? userId : sessionId);
  }
}
