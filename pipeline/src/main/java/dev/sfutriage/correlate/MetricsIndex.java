package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.io.Serializable;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every Prometheus series of the run, sorted by time, with the window functions the rules use.
 * Metrics are small (a few series × a day of scrapes), so the whole index is one side input.
 */
public final class MetricsIndex implements Serializable {
  /** metric name → series key → samples (unsorted until {@link #seal}). */
  private final Map<String, Map<String, List<double[]>>> series = new TreeMap<>();
  private final long lookbackMicros;

  MetricsIndex(long lookbackMicros) {
    this.lookbackMicros = lookbackMicros;
  }

  void add(Event e) {
    Double v = e.num("value");
    if (v == null) {
      return;
    }
    String key = e.attr("series") == null ? e.name : e.attr("series");
    series.computeIfAbsent(e.name, k -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>())
        .add(new double[] {e.timeMicros, v});
  }

  void merge(MetricsIndex o) {
    o.series.forEach((name, bySeries) -> bySeries.forEach((k, samples) ->
        series.computeIfAbsent(name, x -> new TreeMap<>()).computeIfAbsent(k, x -> new ArrayList<>()).addAll(samples)));
  }

  MetricsIndex seal() {
    series.values().forEach(m -> m.values().forEach(l -> l.sort((a, b) -> Double.compare(a[0], b[0]))));
    return this;
  }

  /** The index of the given samples (built once per worker from a side input). */
  public static MetricsIndex of(Iterable<Event> samples, long lookbackMicros) {
    MetricsIndex index = new MetricsIndex(lookbackMicros);
    for (Event e : samples) {
      index.add(e);
    }
    return index.seal();
  }

  /** The result of a window function, with a human description for the evidence. */
  public static final class Value {
    public final double value;
    public final String description;

    Value(double value, String description) {
      this.value = value;
      this.description = description;
    }
  }

  /**
   * {@code fn} over [from, to] summed (increase) or maxed (growth, max) over the metric's series;
   * null when no series has enough samples there.
   *
   * <ul>
   *   <li>increase: reset-aware, as PromQL increase() without extrapolation: from the last sample
   *       before the window (within the look-back) or the first inside it, add each rise, and after
   *       a drop (a process restart) add the new value.
   *   <li>growth: a gauge's highest value in the window minus its value at the window's start.
   *   <li>max: the highest value in the window.
   * </ul>
   */
  public @Nullable Value compute(String name, String fn, long from, long to) {
    Map<String, List<double[]>> bySeries = series.get(name);
    if (bySeries == null) {
      return null;
    }
    Double total = null;
    int resets = 0;
    for (List<double[]> samples : bySeries.values()) {
      double[] base = null;
      List<double[]> in = new ArrayList<>();
      for (double[] s : samples) {
        if (s[0] < from) {
          if (s[0] >= from - lookbackMicros) {
            base = s;
          }
        } else if (s[0] <= to) {
          in.add(s);
        }
      }
      if (base != null) {
        in.add(0, base);
      }
      if (in.isEmpty() || (fn.equals("increase") && in.size() < 2)) {
        continue;
      }
      double v;
      if (fn.equals("increase")) {
        v = 0;
        for (int i = 1; i < in.size(); i++) {
          double prev = in.get(i - 1)[1];
          double cur = in.get(i)[1];
          if (cur >= prev) {
            v += cur - prev;
          } else {
            v += cur;
            resets++;
          }
        }
        total = total == null ? v : total + v;
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] s : in) {
          max = Math.max(max, s[1]);
        }
        v = fn.equals("growth") ? max - in.get(0)[1] : max;
        total = total == null ? v : Math.max(total, v);
      }
    }
    if (total == null) {
      return null;
    }
    String desc = fn + " " + Json.numberText(total, String.format(Locale.ROOT, "%.2f", total)) + " between "
        + Times.iso(from) + " and " + Times.iso(to) + (resets > 0 ? " (" + resets + " counter reset" + (resets > 1 ? "s" : "") + " handled)" : "");
    return new Value(total, desc);
  }

  /** Collects the metric events of the run into one index. */
  public static final class Fn extends Combine.CombineFn<Event, MetricsIndex, MetricsIndex> {
    private final long lookbackMicros;

    public Fn(long lookbackMicros) {
      this.lookbackMicros = lookbackMicros;
    }

    @Override
    public MetricsIndex createAccumulator() {
      return new MetricsIndex(lookbackMicros);
    }

    @Override
    public MetricsIndex addInput(MetricsIndex acc, Event e) {
      acc.add(e);
      return acc;
    }

    @Override
    public MetricsIndex mergeAccumulators(Iterable<MetricsIndex> accs) {
      MetricsIndex out = createAccumulator();
      for (MetricsIndex a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public MetricsIndex extractOutput(MetricsIndex acc) {
      return acc.seal();
    }
  }
}
