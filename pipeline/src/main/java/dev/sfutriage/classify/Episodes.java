package dev.sfutriage.classify;

import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.model.Event;
import dev.sfutriage.rules.Count;
import dev.sfutriage.rules.Detection;
import dev.sfutriage.rules.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Episode segmentation over time-ordered events and times: chains, counts within a span, exclusions. */
final class Episodes {
  private Episodes() {}

  /**
   * Splits time-ordered items into chains: a new chain starts when the gap to the previous item
   * exceeds {@code gap}, or when an answer (a time in sorted {@code breaks}) lies between them.
   */
  static <T> List<List<T>> chain(List<T> items, ToLongFunction<T> time, long gap, @Nullable List<Long> breaks) {
    List<List<T>> out = new ArrayList<>();
    List<T> cur = new ArrayList<>();
    for (T item : items) {
      long t = time.applyAsLong(item);
      if (!cur.isEmpty()) {
        long prev = time.applyAsLong(cur.get(cur.size() - 1));
        if (t - prev > gap || (breaks != null && SessionFacts.anyIn(breaks, prev, t))) {
          out.add(cur);
          cur = new ArrayList<>();
        }
      }
      cur.add(item);
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  static List<Long> times(List<Event> events) {
    List<Long> out = new ArrayList<>(events.size());
    for (Event e : events) {
      out.add(e.timeMicros);
    }
    return out;
  }

  /** Whether sorted {@code times} hold the count, all within {@code within} of each other when it is ≥ 0 ("N within T"). */
  static boolean meets(List<Long> times, Count count, long within) {
    int n = (int) Math.min(Integer.MAX_VALUE, count.minimum());
    if (times.size() < n) {
      return false;
    }
    if (within < 0 || n <= 1) {
      return true;
    }
    for (int i = 0; i + n - 1 < times.size(); i++) {
      if (times.get(i + n - 1) - times.get(i) <= within) {
        return true;
      }
    }
    return false;
  }

  /** Whether an {@code unless} of the detector excuses the event at {@code i}: another event of the user near it. */
  static boolean excused(List<Event> sorted, int i, Detection.Detector det) {
    if (det.unless.isEmpty()) {
      return false;
    }
    long t = sorted.get(i).timeMicros;
    String user = sorted.get(i).userId;
    for (Detection.Exclusion x : det.unless) {
      for (int j = i - 1; j >= 0 && sorted.get(j).timeMicros >= t - x.beforeMicros; j--) {
        if (Objects.equals(user, sorted.get(j).userId) && x.excuses(sorted.get(j), t)) {
          return true;
        }
      }
      for (int j = i + 1; j < sorted.size() && sorted.get(j).timeMicros <= t + x.afterMicros; j++) {
        if (Objects.equals(user, sorted.get(j).userId) && x.excuses(sorted.get(j), t)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The events within {@code span} before any trigger to {@code span + wait} after it, in order. */
  static List<Event> around(List<Event> sorted, List<Event> triggers, long span, long wait) {
    List<Event> out = new ArrayList<>();
    if (triggers.isEmpty()) {
      return out;
    }
    List<long[]> ranges = new ArrayList<>();
    for (Event t : triggers) {
      long lo = t.timeMicros - span;
      long hi = t.timeMicros + span + wait;
      if (!ranges.isEmpty() && lo <= ranges.get(ranges.size() - 1)[1]) {
        ranges.get(ranges.size() - 1)[1] = Math.max(hi, ranges.get(ranges.size() - 1)[1]);
      } else {
        ranges.add(new long[] {lo, hi});
      }
    }
    for (long[] r : ranges) {
      for (int j = firstAtOrAfter(sorted, r[0]); j < sorted.size() && sorted.get(j).timeMicros <= r[1]; j++) {
        out.add(sorted.get(j));
      }
    }
    return out;
  }

  /** Adds, for each trigger and match, the user's latest matching event at or before it, however old. */
  static void addLatestBefore(List<Event> sorted, List<Event> triggers, List<Match> matches, List<Event> context) {
    if (matches.isEmpty()) {
      return;
    }
    List<Event> extra = new ArrayList<>();
    for (Event t : triggers) {
      for (Match m : matches) {
        for (int j = firstAtOrAfter(sorted, t.timeMicros + 1) - 1; j >= 0; j--) {
          if (m.test(sorted.get(j))) {
            if (!context.contains(sorted.get(j)) && !extra.contains(sorted.get(j))) {
              extra.add(sorted.get(j));
            }
            break;
          }
        }
      }
    }
    context.addAll(extra);
    context.sort(Classifier.ORDER);
  }

  private static int firstAtOrAfter(List<Event> sorted, long t) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).timeMicros < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
