package dev.sfutriage.read;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
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
 * choice does not depend on the runner — and counts the rest as duplicates. A combiner, so each
 * worker pre-collapses before the shuffle.
 */
final class Dedupe<T> extends PTransform<PCollection<KV<String, T>>, PCollectionTuple> {
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
        .apply("KeepFirstPerKey", Combine.perKey(new KeepFirst<>(coder, locationOf)))
        .apply("CountDuplicates", ParDo.of(new EmitFirstFn<T>(accountTag))
            .withOutputTags(recordsTag, TupleTagList.of(accountTag)));
    out.get(recordsTag).setCoder(coder);
    out.get(accountTag).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  /** Accumulator: (the record with the smallest location so far, how many were seen). */
  static final class KeepFirst<T> extends Combine.CombineFn<T, KV<T, Long>, KV<T, Long>> {
    private final Coder<T> coder;
    private final SerializableFunction<T, String> locationOf;

    KeepFirst(Coder<T> coder, SerializableFunction<T, String> locationOf) {
      this.coder = coder;
      this.locationOf = locationOf;
    }

    @Override
    public KV<T, Long> createAccumulator() {
      return KV.of(null, 0L);
    }

    @Override
    public KV<T, Long> addInput(KV<T, Long> acc, T input) {
      return KV.of(better(acc.getKey(), input), acc.getValue() + 1);
    }

    @Override
    public KV<T, Long> mergeAccumulators(Iterable<KV<T, Long>> accs) {
      T best = null;
      long n = 0;
      for (KV<T, Long> a : accs) {
        best = better(best, a.getKey());
        n += a.getValue();
      }
      return KV.of(best, n);
    }

    @Override
    public KV<T, Long> extractOutput(KV<T, Long> acc) {
      return acc;
    }

    private T better(T a, T b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return locationOf.apply(b).compareTo(locationOf.apply(a)) < 0 ? b : a;
    }

    @Override
    public Coder<KV<T, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
      return KvCoder.of(NullableCoder.of(coder), VarLongCoder.of());
    }

    @Override
    public Coder<KV<T, Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder) {
      return KvCoder.of(NullableCoder.of(coder), VarLongCoder.of());
    }
  }

  static final class EmitFirstFn<T> extends DoFn<KV<String, KV<T, Long>>, T> {
    private final TupleTag<KV<String, Long>> accountTag;
    private transient Accounting.Tally tally;

    EmitFirstFn(TupleTag<KV<String, Long>> accountTag) {
      this.accountTag = accountTag;
    }

    @StartBundle
    public void start() {
      tally = new Accounting.Tally();
    }

    @ProcessElement
    public void process(@Element KV<String, KV<T, Long>> kv, OutputReceiver<T> out) {
      String source = kv.getKey().substring(0, kv.getKey().indexOf('|'));
      out.output(kv.getValue().getKey());
      tally.add(source, Accounting.USED, null, 1);
      long dups = kv.getValue().getValue() - 1;
      if (dups > 0) {
        tally.add(source, Accounting.DUPLICATES, null, dups);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext ctx) {
      for (KV<String, Long> kv : tally.drain()) {
        ctx.output(accountTag, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }
}
