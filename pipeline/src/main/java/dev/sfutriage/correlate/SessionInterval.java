package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.rules.Match;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.Combine;

/**
 * A session's interval: from its start event to its end event when the backend logged them, else
 * from its first to its last event. Combinable, so it is built without grouping a session's events.
 */
public final class SessionInterval implements Serializable {
  public String seminarId;
  public String sessionId;
  public long firstMicros = Long.MAX_VALUE;
  public long lastMicros = Long.MIN_VALUE;
  public long startMicros = Long.MAX_VALUE;
  public long endMicros = Long.MIN_VALUE;

  public long start() {
    return startMicros != Long.MAX_VALUE ? startMicros : firstMicros;
  }

  public long end() {
    return endMicros != Long.MIN_VALUE ? endMicros : lastMicros;
  }

  public boolean hasExplicitEnd() {
    return endMicros != Long.MIN_VALUE;
  }

  void add(Event e, Match startMatch, Match endMatch) {
    seminarId = e.seminarId;
    sessionId = e.sessionId;
    firstMicros = Math.min(firstMicros, e.timeMicros);
    lastMicros = Math.max(lastMicros, e.timeMicros);
    if (startMatch.test(e)) {
      startMicros = Math.min(startMicros, e.timeMicros);
    }
    if (endMatch.test(e)) {
      endMicros = Math.max(endMicros, e.timeMicros);
    }
  }

  void merge(SessionInterval o) {
    if (o.seminarId != null) {
      seminarId = o.seminarId;
      sessionId = o.sessionId;
    }
    firstMicros = Math.min(firstMicros, o.firstMicros);
    lastMicros = Math.max(lastMicros, o.lastMicros);
    startMicros = Math.min(startMicros, o.startMicros);
    endMicros = Math.max(endMicros, o.endMicros);
  }

  /** Builds intervals from events that carry their session id. */
  public static final class Fn extends Combine.CombineFn<Event, SessionInterval, SessionInterval> {
    private final Match start;
    private final Match end;

    public Fn(Match start, Match end) {
      this.start = start;
      this.end = end;
    }

    @Override
    public SessionInterval createAccumulator() {
      return new SessionInterval();
    }

    @Override
    public SessionInterval addInput(SessionInterval acc, Event e) {
      acc.add(e, start, end);
      return acc;
    }

    @Override
    public SessionInterval mergeAccumulators(Iterable<SessionInterval> accs) {
      SessionInterval out = new SessionInterval();
      for (SessionInterval a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public SessionInterval extractOutput(SessionInterval acc) {
      return acc;
    }
  }
}
