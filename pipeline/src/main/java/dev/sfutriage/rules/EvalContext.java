package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a cause condition can look at for one episode. Participant causes are evaluated once per
 * detecting event of the episode ({@link #triggers()} is then that one event), so all the
 * conditions of a cause are bound to the same trigger; session causes see all of the episode's.
 */
public interface EvalContext {
  /** The detecting events the conditions are bound to (for an absence: the unanswered anchors). */
  List<Event> triggers();

  /** This user's events around the episode, time-ordered (participant scope; else empty). */
  List<Event> participantEvents();

  @Nullable String userId();

  /** Whether the run read this source and it gave at least one record in the window. */
  boolean available(String source);

  /** The incident's session facts for one match: how many matched, by whom, a few samples. */
  SessionCount sessionCount(Match match, boolean otherUsers);

  /**
   * Global events (no seminar) in the window named by {@code during}: session (its interval), wait
   * (the absence's wait after its anchor), session_wait (session start to the end of the wait) or
   * episode (the episode's detecting events ± the participant window).
   */
  List<Event> globalEvents(String during);

  /**
   * A metric function over the window named by {@code during}, or null when the series has no
   * samples there; {@code evidence} receives one synthetic metrics event describing the value.
   */
  @Nullable Double metric(String name, String fn, String during, List<Event> evidence);

  /** The default ± window for participant-level joins. */
  long participantWindowMicros();

  /** Records a line of what was checked, for the incident's counter-evidence. */
  void check(String line);

  /** Records a source whose absence made a condition undecidable. */
  void missing(String source);

  /** A session match's count, the distinct users (exact up to a cap) and a few sample events. */
  final class SessionCount {
    public final long count;
    public final long users;
    public final boolean moreUsers;
    public final List<Event> samples;

    public SessionCount(long count, long users, boolean moreUsers, List<Event> samples) {
      this.count = count;
      this.users = users;
      this.moreUsers = moreUsers;
      this.samples = samples;
    }
  }
}
