package dev.sfutriage.classify;

import dev.sfutriage.model.Event;
import dev.sfutriage.rules.Symptom;
import java.util.List;

/**
 * One episode of a symptom: the detecting events (or unanswered anchors) that lie closer together
 * than the symptom's episode gap and meet its count, from {@link #first} to {@link #last}. An
 * episode is one incident.
 */
final class Episode {
  final Symptom symptom;
  /** The detecting events; for a session, the sample events that lie in the episode. */
  final List<Event> triggers;
  final long first;
  final long last;
  /** How many detecting events the episode holds (for a session: counted, not only the samples). */
  final long count;

  Episode(Symptom symptom, List<Event> triggers, long first, long last, long count) {
    this.symptom = symptom;
    this.triggers = List.copyOf(triggers);
    this.first = first;
    this.last = last;
    this.count = count;
  }

  static Episode of(Symptom symptom, List<Event> triggers) {
    return new Episode(symptom, triggers, triggers.get(0).timeMicros, triggers.get(triggers.size() - 1).timeMicros,
        triggers.size());
  }

  /** From the first detecting event to the end of the wait after the last. */
  long until() {
    return last + symptom.waitMicros();
  }

  /** Whether this episode, widened by {@code margin}, overlaps {@code o}. */
  boolean overlaps(Episode o, long margin) {
    return first - margin <= o.until() && o.first <= until() + margin;
  }
}
