package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The sink every reader DoFn hands its parser: applies the run's window and scope, routes each
 * record to kept / keyed-for-dedupe / dead-letter outputs, and counts it exactly once.
 */
final class RoutingSink<T> implements RecordSink<T> {
  private final String source;
  private final @Nullable RunScope scope;
  private final Accounting.Tally tally;
  private final java.util.function.Consumer<T> main;
  private final java.util.function.Consumer<KV<String, T>> keyed;
  private final java.util.function.Consumer<DeadLetter> dead;
  private long records;
  /** This sink's counters in the bundle's tally, looked up once rather than keyed per record. */
  private long @Nullable [] readCount;
  private long @Nullable [] usedCount;
  private long @Nullable [] deadCount;
  private final Map<String, long[]> filtered = new HashMap<>();

  RoutingSink(String source, @Nullable RunScope scope, Accounting.Tally tally, DoFn.MultiOutputReceiver out,
      TupleTag<T> mainTag, TupleTag<KV<String, T>> keyedTag, TupleTag<DeadLetter> deadTag) {
    this(source, scope, tally, v -> out.get(mainTag).output(v), kv -> out.get(keyedTag).output(kv), d -> out.get(deadTag).output(d));
  }

  /** The same routing into plain consumers (the in-process reader, {@link ReadInProcess}). */
  RoutingSink(String source, @Nullable RunScope scope, Accounting.Tally tally, java.util.function.Consumer<T> main,
      java.util.function.Consumer<KV<String, T>> keyed, java.util.function.Consumer<DeadLetter> dead) {
    this.source = source;
    this.scope = scope;
    this.tally = tally;
    this.main = main;
    this.keyed = keyed;
    this.dead = dead;
  }

  long records() {
    return records;
  }

  @Override
  public void accept(T value, @Nullable String dedupeKey) {
    countRead();
    String rejected = scope != null && value instanceof Event ? scope.reject((Event) value) : null;
    if (rejected != null) {
      countFiltered(rejected);
      return;
    }
    if (dedupeKey == null) {
      if (usedCount == null) {
        usedCount = counter(Accounting.USED, null);
      }
      usedCount[0]++;
      main.accept(value);
    } else {
      keyed.accept(KV.of(source + "|" + dedupeKey, value));
    }
  }

  @Override
  public void filtered(String reason) {
    countRead();
    countFiltered(reason);
  }

  @Override
  public void deadLetter(String location, String reason, String raw) {
    countRead();
    if (deadCount == null) {
      deadCount = counter(Accounting.DEAD_LETTERED, null);
    }
    deadCount[0]++;
    dead.accept(new DeadLetter(source, location, reason, raw));
  }

  private void countRead() {
    records++;
    if (readCount == null) {
      readCount = counter(Accounting.READ, null);
    }
    readCount[0]++;
  }

  private void countFiltered(String reason) {
    long[] c = filtered.get(reason);
    if (c == null) {
      c = counter(Accounting.FILTERED, reason);
      filtered.put(reason, c);
    }
    c[0]++;
  }

  private long[] counter(String outcome, @Nullable String reason) {
    return tally.counter(Accounting.key(source, outcome, reason));
  }
}
