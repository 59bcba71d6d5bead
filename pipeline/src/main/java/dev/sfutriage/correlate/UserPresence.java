package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
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
  }
}
