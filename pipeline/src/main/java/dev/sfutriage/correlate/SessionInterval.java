package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.rules.Match;
import dev.sfutriage.util.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
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

    @Override
    public Coder<SessionInterval> getAccumulatorCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return IntervalCoder.of();
    }

    @Override
    public Coder<SessionInterval> getDefaultOutputCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return IntervalCoder.of();
    }
  }

  /** The wire form: the two ids and the four times (no Java serialization). */
  public static final class IntervalCoder extends AtomicCoder<SessionInterval> {
    private static final IntervalCoder INSTANCE = new IntervalCoder();

    public static IntervalCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SessionInterval v, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      Wire.string(out, v.seminarId);
      Wire.string(out, v.sessionId);
      out.writeLong(v.firstMicros);
      out.writeLong(v.lastMicros);
      out.writeLong(v.startMicros);
      out.writeLong(v.endMicros);
      out.flush();
    }

    @Override
    public SessionInterval decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      SessionInterval v = new SessionInterval();
      v.seminarId = Wire.string(in);
      v.sessionId = Wire.string(in);
      v.firstMicros = in.readLong();
      v.lastMicros = in.readLong();
      v.startMicros = in.readLong();
      v.endMicros = in.readLong();
      return v;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
