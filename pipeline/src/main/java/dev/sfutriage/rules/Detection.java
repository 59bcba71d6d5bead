package dev.sfutriage.rules;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** How a symptom is detected: N matching events, or an anchor with no answer within a wait. */
public final class Detection implements Serializable {
  public final List<Match> events;
  public final int minCount;
  public final @Nullable Absence absence;

  Detection(List<Match> events, int minCount, @Nullable Absence absence) {
    this.events = List.copyOf(events);
    this.minCount = minCount;
    this.absence = absence;
  }

  public boolean detects(dev.sfutriage.model.Event e) {
    for (Match m : events) {
      if (m.test(e)) {
        return true;
      }
    }
    return false;
  }

  /** "A, and no B within the wait": concluded only when the wait ends inside the data window. */
  public static final class Absence implements Serializable {
    public final Match anchor;
    public final Match missing;
    public final long waitMicros;
    /** An answer this long before the anchor still counts (clock jitter between writers). */
    public final long toleranceBeforeMicros;

    Absence(Match anchor, Match missing, long waitMicros, long toleranceBeforeMicros) {
      this.anchor = anchor;
      this.missing = missing;
      this.waitMicros = waitMicros;
      this.toleranceBeforeMicros = toleranceBeforeMicros;
    }
  }
}
