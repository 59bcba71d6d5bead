package dev.sfutriage.read;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.GroupIntoBuckets;
import dev.sfutriage.util.Times;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Collapses records with the same dedupe key ({@code source|key}, see {@link RoutingSink}) to one — the one from the smallest location, so the
 * choice does not depend on the runner; for a webhook job its latest state ({@link #later}) —
 * and counts the rest as duplicates. Keys are grouped into
 * hash buckets ({@link GroupIntoBuckets}): almost every key is unique, so a group per key would
 * cost a group per record.
 */
final class Dedupe<T> extends PTransform<PCollection<KV<String, T>>, PCollectionTuple> {
  /** Webhook-job keys ({@link WebhookJobParser}): the latest state of a job wins, not the first file. */
  static final String JOBS = Sources.WEBHOOK_JOBS + "|job:";

  private final Coder<T> coder;
  private final SerializableFunction<T, String> locationOf;
  private final TupleTag<T> recordsTag;
  private final TupleTag<KV<String, Long>> accountTag;

  Dedupe(Coder<T> coder, SerializableFunction<T, String> locationOf, TupleTag<T> recordsTag,
      TupleTag<KV<String, Long>> accountTag) {
    this.coder = coder;
    this.locationOf = locationOf;
    this.recordsTag = recordsTag;
    this.accountTag = accountTag;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, T>> keyed) {
    PCollectionTuple out = keyed
        .apply("IntoBuckets", GroupIntoBuckets.create())
        .apply("KeepFirst", ParDo.of(new KeepFirstFn<T>(locationOf, accountTag))
            .withOutputTags(recordsTag, TupleTagList.of(accountTag)));
    out.get(recordsTag).setCoder(coder);
    out.get(accountTag).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  /** Per bucket: the record with the smallest location of each key, and how many copies it had. */
  static final class KeepFirstFn<T> extends DoFn<KV<Integer, Iterable<KV<String, T>>>, T> {
    private final SerializableFunction<T, String> locationOf;
    private final TupleTag<KV<String, Long>> accountTag;
    private transient Accounting.Tally tally;

    KeepFirstFn(SerializableFunction<T, String> locationOf, TupleTag<KV<String, Long>> accountTag) {
      this.locationOf = locationOf;
      this.accountTag = accountTag;
    }

    @StartBundle
    public void start() {
      tally = new Accounting.Tally();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, T>>> bucket, OutputReceiver<T> out) {
      Firsts<T> firsts = new Firsts<>(locationOf);
      bucket.getValue().forEach(firsts::add);
      firsts.emit(out::output, tally);
    }

    @FinishBundle
    public void finish(FinishBundleContext ctx) {
      for (KV<String, Long> kv : tally.drain()) {
        ctx.output(accountTag, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }

  /**
   * The records of some dedupe keys: the one that stays per key ({@link #keep}) and how many copies it
   * had. The pipeline's buckets and the in-process reader ({@link ReadInProcess}) both collapse through it.
   */
  static final class Firsts<T> {
    private final Map<String, T> first = new HashMap<>();
    private final Map<String, Long> copies = new HashMap<>();
    private final SerializableFunction<T, String> locationOf;

    Firsts(SerializableFunction<T, String> locationOf) {
      this.locationOf = locationOf;
    }

    void add(KV<String, T> kv) {
      first.merge(kv.getKey(), kv.getValue(), (a, b) -> keep(kv.getKey(), a, b, locationOf));
      copies.merge(kv.getKey(), 1L, Long::sum);
    }

    /** Another reader's firsts merged in: the same choice per key ({@link #keep} does not depend on order), copies summed. */
    void addAll(Firsts<T> other) {
      other.first.forEach((k, v) -> first.merge(k, v, (a, b) -> keep(k, a, b, locationOf)));
      other.copies.forEach((k, n) -> copies.merge(k, n, Long::sum));
    }

    /** The distinct keys so far. */
    int size() {
      return first.size();
    }

    /** Hands on each kept record, counted as used, and its other copies as duplicates. */
    void emit(java.util.function.Consumer<T> out, Accounting.Tally tally) {
      for (Map.Entry<String, T> e : first.entrySet()) {
        String source = e.getKey().substring(0, e.getKey().indexOf('|'));
        out.accept(e.getValue());
        tally.add(source, Accounting.USED, null, 1);
        long dups = copies.get(e.getKey()) - 1;
        if (dups > 0) {
          tally.add(source, Accounting.DUPLICATES, null, dups);
        }
      }
    }
  }

  /** Which of two records with the same key stays: for a webhook job its latest state, else the smaller location. */
  static <T> T keep(String key, T a, T b, SerializableFunction<T, String> locationOf) {
    return key.startsWith(JOBS) ? later(a, b, locationOf) : better(a, b, locationOf);
  }

  private static <T> T better(T a, T b, SerializableFunction<T, String> locationOf) {
    return locationOf.apply(b).compareTo(locationOf.apply(a)) < 0 ? b : a;
  }

  /**
   * A job row is a state that changes: two exports of the table hold the same job at different
   * times, and the latest state wins — the later updated_at, then the higher attempt, then (equal
   * rows) the smaller location, so the choice does not depend on the runner.
   */
  private static <T> T later(T a, T b, SerializableFunction<T, String> locationOf) {
    if (a instanceof Event && b instanceof Event) {
      int c = Long.compare(updatedAt((Event) a), updatedAt((Event) b));
      if (c == 0) {
        c = Double.compare(attempt((Event) a), attempt((Event) b));
      }
      if (c != 0) {
        return c > 0 ? a : b;
      }
    }
    return better(a, b, locationOf);
  }

  private static long updatedAt(Event e) {
    try {
      Long t = Times.micros(e.attr("updated_at"));
      return t == null ? Long.MIN_VALUE : t;
    } catch (IllegalArgumentException x) {
      return Long.MIN_VALUE;
    }
  }

  private static double attempt(Event e) {
    Double n = e.num("attempt");
    return n == null ? -1 : n;
  }
}
