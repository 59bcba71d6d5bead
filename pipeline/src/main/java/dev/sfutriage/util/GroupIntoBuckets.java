package dev.sfutriage.util;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups keyed values into a fixed number of hash buckets instead of one group per key.
 *
 * <p>Why: the keys here are fine-grained (one per record for dedupe, one per participant), and a
 * runner pays per group: the DirectRunner hands each group on as its own bundle and re-translates
 * every downstream step per bundle (a fixture day took over 10 minutes), and every runner pays a
 * per-group overhead. With buckets the number of groups is fixed; each bucket holds about
 * 1/{@link #DEFAULT} of the records of that stage (memory per bucket, measured in
 * docs/BENCHMARKS.md), and the consumer regroups a bucket by key with {@link #byKey}.
 */
public final class GroupIntoBuckets<V> extends PTransform<PCollection<KV<String, V>>, PCollection<KV<Integer, Iterable<KV<String, V>>>>> {
  /** Enough groups to keep both cores (and a cluster's workers) busy, few enough for the DirectRunner. */
  public static final int DEFAULT = 256;

  private final int buckets;

  public GroupIntoBuckets(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be at least 1");
    }
    this.buckets = buckets;
  }

  public static <V> GroupIntoBuckets<V> create() {
    return new GroupIntoBuckets<>(DEFAULT);
  }

  @Override
  public PCollection<KV<Integer, Iterable<KV<String, V>>>> expand(PCollection<KV<String, V>> input) {
    return input
        .apply("ToBucket", ParDo.of(new ToBucketFn<V>(buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("GroupBucket", GroupByKey.create());
  }

  /** The bucket of a key: stable across JVMs and runs (String.hashCode is specified), well mixed. */
  public static int bucket(String key, int buckets) {
    int h = key.hashCode() * 0x9E3779B9;
    return Math.floorMod(h ^ (h >>> 16), buckets);
  }

  /** A bucket's values grouped by their key, keys in order, values in arrival order. */
  public static <V> TreeMap<String, List<V>> byKey(Iterable<KV<String, V>> values) {
    TreeMap<String, List<V>> out = new TreeMap<>();
    for (KV<String, V> kv : values) {
      out.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
    }
    return out;
  }

  static final class ToBucketFn<V> extends DoFn<KV<String, V>, KV<Integer, KV<String, V>>> {
    private final int buckets;

    ToBucketFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element KV<String, V> kv, OutputReceiver<KV<Integer, KV<String, V>>> out) {
      out.output(KV.of(bucket(kv.getKey(), buckets), kv));
    }
  }
}
