package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Events that belong to no seminar (a webhook rejected before parsing, a retry of an unknown job):
 * evidence for every session whose window contains them. Few per day, so one sorted side input.
 */
public final class GlobalEvents implements Serializable {
  private static final Comparator<Event> ORDER =
      Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.location);
  private final List<Event> events = new ArrayList<>();
  private long[] times = new long[0];

  /** The sorted index of the given events (built once per worker from a side input). */
  public static GlobalEvents of(Iterable<Event> events) {
    Fn fn = new Fn();
    GlobalEvents acc = fn.createAccumulator();
    for (Event e : events) {
      acc = fn.addInput(acc, e);
    }
    return fn.extractOutput(acc);
  }

  /** Events with from <= time <= to, in time order. */
  public List<Event> between(long from, long to) {
    int lo = lowerBound(from);
    List<Event> out = new ArrayList<>();
    for (int i = lo; i < events.size() && events.get(i).timeMicros <= to; i++) {
      out.add(events.get(i));
    }
    return out;
  }

  public int size() {
    return events.size();
  }

  private int lowerBound(long t) {
    int lo = 0;
    int hi = times.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  public static final class Fn extends Combine.CombineFn<Event, GlobalEvents, GlobalEvents> {
    @Override
    public GlobalEvents createAccumulator() {
      return new GlobalEvents();
    }

    @Override
    public GlobalEvents addInput(GlobalEvents acc, Event e) {
      acc.events.add(e);
      return acc;
    }

    @Override
    public GlobalEvents mergeAccumulators(Iterable<GlobalEvents> accs) {
      GlobalEvents out = new GlobalEvents();
      for (GlobalEvents a : accs) {
        out.events.addAll(a.events);
      }
      return out;
    }

    @Override
    public GlobalEvents extractOutput(GlobalEvents acc) {
      acc.events.sort(ORDER);
      acc.times = acc.events.stream().mapToLong(e -> e.timeMicros).toArray();
      return acc;
    }
  }
}
