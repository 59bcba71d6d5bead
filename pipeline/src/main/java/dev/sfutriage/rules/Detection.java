package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a symptom is detected and what one episode of it is.
 *
 * <ul>
 *   <li>events: detecting events (each optionally excluded {@code unless} a benign event is near it);
 *       detecting events closer than {@link #episodeGapMicros} form one episode, which is an incident
 *       when it holds {@link #count} of them ({@code within} a span, if given: "N within T").
 *   <li>absence: anchors closer than the gap with no answer between them form one episode; it is an
 *       incident when it holds {@link #count} anchors and no answer came from its first anchor (less
 *       the tolerance) until its last anchor plus the wait.
 * </ul>
 */
public final class Detection implements Serializable {
  public final List<Detector> events;
  public final Count count;
  /** "N within T": the N detecting events must lie within this span; -1 = anywhere in the episode. */
  public final long withinMicros;
  public final long episodeGapMicros;
  public final @Nullable Absence absence;

  Detection(List<Detector> events, Count count, long withinMicros, long episodeGapMicros, @Nullable Absence absence) {
    this.events = List.copyOf(events);
    this.count = count;
    this.withinMicros = withinMicros;
    this.episodeGapMicros = episodeGapMicros;
    this.absence = absence;
  }

  /** The detector an event matches, or null (absence detections: the anchor's). */
  public @Nullable Detector detectorOf(Event e) {
    for (Detector d : events) {
      if (d.match.test(e)) {
        return d;
      }
    }
    return null;
  }

  /** A detecting match and its exclusions. */
  public static final class Detector implements Serializable {
    public final Match match;
    public final List<Exclusion> unless;

    Detector(Match match, List<Exclusion> unless) {
      this.match = match;
      this.unless = List.copyOf(unless);
    }
  }

  /**
   * {@code unless}: the detecting event does not count when the same user has a matching event
   * within {@code before} before it or {@code after} after it (Sigma's "not filter", EQL's ![ ]).
   */
  public static final class Exclusion implements Serializable {
    public final Match match;
    public final long beforeMicros;
    public final long afterMicros;

    Exclusion(Match match, long beforeMicros, long afterMicros) {
      this.match = match;
      this.beforeMicros = beforeMicros;
      this.afterMicros = afterMicros;
    }

    /** Whether {@code e} (another event of the same user) excuses a detecting event at {@code t}. */
    public boolean excuses(Event e, long t) {
      long d = e.timeMicros - t;
      return d >= -beforeMicros && d <= afterMicros && match.test(e);
    }
  }

  /** "A, and no B within the wait": concluded only when the wait ends inside the data window. */
  public static final class Absence implements Serializable {
    public final Detector anchor;
    public final Match missing;
    public final long waitMicros;
    /** An answer this long before the first anchor still counts (clock jitter between writers). */
    public final long toleranceBeforeMicros;

    Absence(Detector anchor, Match missing, long waitMicros, long toleranceBeforeMicros) {
      this.anchor = anchor;
      this.missing = missing;
      this.waitMicros = waitMicros;
      this.toleranceBeforeMicros = toleranceBeforeMicros;
    }
  }
}
