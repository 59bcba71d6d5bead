package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
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

    @Override
    public Coder<DataWindow> getAccumulatorCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return WindowCoder.of();
    }

    @Override
    public Coder<DataWindow> getDefaultOutputCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return WindowCoder.of();
    }
  }

  /** The wire form: the two times. */
  public static final class WindowCoder extends AtomicCoder<DataWindow> {
    private static final WindowCoder INSTANCE = new WindowCoder();

    public static WindowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DataWindow v, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(v.fromMicros);
      out.writeLong(v.toMicros);
      out.flush();
    }

    @Override
    public DataWindow decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new DataWindow(in.readLong(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
