package dev.sfutriage.rules;

import java.io.Serializable;
import java.util.List;

/** One row of the guide's quick-reference table. */
public final class Symptom implements Serializable {
  public enum Scope { PARTICIPANT, SESSION }

  public final String id;
  public final String title;
  public final String guide;
  public final Scope scope;
  public final List<Integer> checklist;
  public final Detection detect;
  public final List<Cause> causes;
  /** Symptoms this one replaces when both describe the same episode of a participant (it is more specific). */
  public final List<String> supersedes;
  /** The summary when the cause could not be concluded because a source is missing ({missing} names it). */
  public final String undetermined;
  /** The ± span around a detecting event the causes look at: the user's events an episode carries. */
  public final long contextMicros;
  /** Matches whose latest event before a detecting event the causes need (e.g. the token it used). */
  public final List<Match> latestBefore;

  Symptom(String id, String title, String guide, Scope scope, List<Integer> checklist, Detection detect,
      List<Cause> causes, List<String> supersedes, String undetermined, long contextMicros, List<Match> latestBefore) {
    this.id = id;
    this.title = title;
    this.guide = guide;
    this.scope = scope;
    this.checklist = List.copyOf(checklist);
    this.detect = detect;
    this.causes = List.copyOf(causes);
    this.supersedes = List.copyOf(supersedes);
    this.undetermined = undetermined;
    this.contextMicros = contextMicros;
    this.latestBefore = List.copyOf(latestBefore);
  }

  /** The wait of an absence detection (0 for event detections): extends "after" windows. */
  public long waitMicros() {
    return detect.absence == null ? 0 : detect.absence.waitMicros;
  }

  /** The cause incidents get when no case holds: the last one, which has no {@code when}. */
  public Cause fallback() {
    return causes.get(causes.size() - 1);
  }
}
