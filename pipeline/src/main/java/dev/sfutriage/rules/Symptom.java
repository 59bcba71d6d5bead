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

  Symptom(String id, String title, String guide, Scope scope, List<Integer> checklist, Detection detect,
      List<Cause> causes) {
    this.id = id;
    this.title = title;
    this.guide = guide;
    this.scope = scope;
    this.checklist = List.copyOf(checklist);
    this.detect = detect;
    this.causes = List.copyOf(causes);
  }

  /** The wait of an absence detection (0 for event detections): extends "after the session" windows. */
  public long waitMicros() {
    return detect.absence == null ? 0 : detect.absence.waitMicros;
  }
}
