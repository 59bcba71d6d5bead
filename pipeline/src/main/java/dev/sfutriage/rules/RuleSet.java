package dev.sfutriage.rules;

import dev.sfutriage.read.IngestConfig;
import java.io.Serializable;
import java.util.List;

/** A loaded rules file: settings, what to ingest, how sessions are delimited, and the symptoms. */
public final class RuleSet implements Serializable {
  public final String origin;
  public final long sessionGraceMicros;
  public final long participantWindowMicros;
  public final long clockSkewToleranceMicros;
  public final long metricsLookbackMicros;
  public final long userAttributionWindowMicros;
  /** Detecting events closer than this form one episode (a symptom's detect.episode overrides it). */
  public final long episodeGapMicros;
  public final IngestConfig ingest;
  public final Match sessionStart;
  public final Match sessionEnd;
  public final List<Symptom> symptoms;
  /** The guide's support checklist, step 1 first. */
  public final List<String> checklist;
  /** Every match evaluated on session facts, indexed by {@link Match#sessionIndex()}. */
  public final List<Match> sessionMatches;

  RuleSet(String origin, long sessionGraceMicros, long participantWindowMicros, long clockSkewToleranceMicros,
      long metricsLookbackMicros, long userAttributionWindowMicros, long episodeGapMicros, IngestConfig ingest, Match sessionStart,
      Match sessionEnd, List<Symptom> symptoms, List<String> checklist, List<Match> sessionMatches) {
    this.origin = origin;
    this.sessionGraceMicros = sessionGraceMicros;
    this.participantWindowMicros = participantWindowMicros;
    this.clockSkewToleranceMicros = clockSkewToleranceMicros;
    this.metricsLookbackMicros = metricsLookbackMicros;
    this.userAttributionWindowMicros = userAttributionWindowMicros;
    this.episodeGapMicros = episodeGapMicros;
    this.ingest = ingest;
    this.sessionStart = sessionStart;
    this.sessionEnd = sessionEnd;
    this.symptoms = List.copyOf(symptoms);
    this.checklist = List.copyOf(checklist);
    this.sessionMatches = List.copyOf(sessionMatches);
  }

  /**
   * Per source, the causes ("symptom/cause") that need it to be decided, in rules order: what a run
   * without that source cannot conclude (summary.json's source_gaps).
   */
  public java.util.Map<String, List<String>> causesNeeding() {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    for (Symptom s : symptoms) {
      for (Cause c : s.causes) {
        for (String src : c.needs) {
          out.computeIfAbsent(src, k -> new java.util.ArrayList<>()).add(s.id + "/" + c.id);
        }
      }
    }
    return out;
  }

  public Symptom symptom(String id) {
    for (Symptom s : symptoms) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no symptom " + id);
  }

  private transient volatile java.util.@org.checkerframework.checker.nullness.qual.Nullable List<Match> globalMatches;

  /**
   * Whether an event without seminar can matter to classification: some cause's global condition
   * (in its {@code when} or its {@code show}) matches it. Global events reach a rule only through those
   * conditions, so the others (every room's routine {@code /livekit/webhook 200}) need not travel to the
   * classifiers as a side input.
   */
  public boolean usedAsGlobal(dev.sfutriage.model.Event e) {
    java.util.List<Match> matches = globalMatches;
    if (matches == null) {
      matches = new java.util.ArrayList<>();
      for (Symptom s : symptoms) {
        for (Cause c : s.causes) {
          for (Condition x : c.show) {
            x.globalMatches(matches);
          }
          if (c.when != null) {
            c.when.globalMatches(matches);
          }
        }
      }
      globalMatches = matches;
    }
    for (Match m : matches) {
      if (m.test(e)) {
        return true;
      }
    }
    return false;
  }
}
