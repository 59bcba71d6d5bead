package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What a cause condition can look at for one candidate incident. */
public interface EvalContext {
  /** The detecting events (for an absence: the anchors that went unanswered). Time-ordered. */
  List<Event> triggers();

  /** All of this user's events in this seminar, time-ordered (participant scope; else empty). */
  List<Event> participantEvents();

  @Nullable String userId();

  /** How many of the incident's session events match; adds a few of them to {@code evidence}. */
  long sessionCount(Match match, boolean otherUsers, List<Event> evidence);

  /** Global events (no seminar) in the window named by {@code during}: session, session_wait, trigger. */
  List<Event> globalEvents(String during);

  /**
   * A metric function over the window named by {@code during}, or null when the series has too few
   * samples there; {@code evidence} receives one synthetic metrics event describing the value.
   */
  @Nullable Double metric(String name, String fn, String during, List<Event> evidence);

  /** The default ± window for participant-level joins. */
  long participantWindowMicros();
}
