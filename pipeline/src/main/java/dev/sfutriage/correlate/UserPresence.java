package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where a user was: per seminar, the span of their attributed events. A few entries per user. */
public final class UserPresence implements Serializable {
  /** seminar → {first, last} event time (µs). */
  final Map<String, long[]> spans = new TreeMap<>();

  /** The seminar whose span, widened by {@code window}, contains {@code t}; the closest if several. */
  @Nullable String seminarAt(long t, long window) {
    String best = null;
    long bestDistance = Long.MAX_VALUE;
    for (Map.Entry<String, long[]> e : spans.entrySet()) {
      long[] s = e.getValue();
      long d = t < s[0] ? s[0] - t : t > s[1] ? t - s[1] : 0;
      if (d <= window && d < bestDistance) {
        best = e.getKey();
        bestDistance = d;
      }
    }
    return best;
  }

  public static final class Fn extends Combine.CombineFn<Event, UserPresence, UserPresence> {
    @Override
    public UserPresence createAccumulator() {
      return new UserPresence();
    }

    @Override
    public UserPresence addInput(UserPresence acc, Event e) {
      long[] s = acc.spans.computeIfAbsent(e.seminarId, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      s[0] = Math.min(s[0], e.timeMicros);
      s[1] = Math.max(s[1], e.timeMicros);
      return acc;
    }

    @Override
    public UserPresence mergeAccumulators(Iterable<UserPresence> accs) {
      UserPresence out = new UserPresence();
      for (UserPresence a : accs) {
        a.spans.forEach((k, v) -> {
          long[] s = out.spans.computeIfAbsent(k, x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
          s[0] = Math.min(s[0], v[0]);
          s[1] = Math.max(s[1], v[1]);
        });
      }
      return out;
    }

    @Override
    public UserPresence extractOutput(UserPresence acc) {
      return acc;
    }

    @Override
    public Coder<UserPresence> getAccumulatorCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return PresenceCoder.of();
    }

    @Override
    public Coder<UserPresence> getDefaultOutputCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return PresenceCoder.of();
    }
  }

  /** The wire form: the number of seminars, then per seminar (in order) its id and two times. */
  public static final class PresenceCoder extends AtomicCoder<UserPresence> {
    private static final PresenceCoder INSTANCE = new PresenceCoder();

    public static PresenceCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(UserPresence v, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(v.spans.size());
      for (Map.Entry<String, long[]> e : v.spans.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue()[0]);
        out.writeLong(e.getValue()[1]);
      }
      out.flush();
    }

    @Override
    public UserPresence decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      UserPresence v = new UserPresence();
      for (int n = in.readInt(); n > 0; n--) {
        v.spans.put(in.readUTF(), new long[] {in.readLong(), in.readLong()});
      }
      return v;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
