package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The run's data window [from, to): the options' window when given, else the span of the data.
 * Absences are concluded only when their whole wait lies inside it.
 */
public final class DataWindow implements Serializable {
  public long fromMicros;
  public long toMicros;

  public DataWindow(long fromMicros, long toMicros) {
    this.fromMicros = fromMicros;
    this.toMicros = toMicros;
  }

  public boolean isEmpty() {
    return fromMicros > toMicros;
  }

  /** The span of the events (used when the run names no window). */
  public static final class SpanFn extends Combine.CombineFn<Event, DataWindow, DataWindow> {
    @Override
    public DataWindow createAccumulator() {
      return new DataWindow(Long.MAX_VALUE, Long.MIN_VALUE);
    }

    @Override
    public DataWindow addInput(DataWindow acc, Event e) {
      acc.fromMicros = Math.min(acc.fromMicros, e.timeMicros);
      acc.toMicros = Math.max(acc.toMicros, e.timeMicros + 1);
      return acc;
    }

    @Override
    public DataWindow mergeAccumulators(Iterable<DataWindow> accs) {
      DataWindow out = createAccumulator();
      for (DataWindow a : accs) {
        out.fromMicros = Math.min(out.fromMicros, a.fromMicros);
        out.toMicros = Math.max(out.toMicros, a.toMicros);
      }
      return out;
    }

    @Override
    public DataWindow extractOutput(DataWindow acc) {
      return acc;
    }
  }
}
