package dev.sfutriage.util;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Two keyed collections grouped by key in one GroupByKey, each group handed on as a single iterable of
 * tagged values ({@link #LEFT} from the input, {@link #RIGHT} from the collection given) that the
 * consumer reads <em>once</em>.
 *
 * <p>Why not CoGroupByKey: its result keeps the first 10 000 values of a group in memory and reads
 * the rest again per tag. Flink's grouped input can be read only once unless
 * {@code --reIterableGroupByKeyResult=true}, which makes Flink hold every group whole: a day of 50 000
 * seminars (a participant bucket of ~30 000 events) failed without it, a day with one 100 000-participant
 * session ran out of a 2 GB heap with it (docs/BENCHMARKS.md). Read once, both work at the defaults.
 */
public final class OnePassJoin<K, A, B> extends PTransform<PCollection<KV<K, A>>, PCollection<KV<K, Iterable<RawUnionValue>>>> {
  public static final int LEFT = 0;
  public static final int RIGHT = 1;

  private final PCollection<KV<K, B>> right;

  private OnePassJoin(PCollection<KV<K, B>> right) {
    this.right = right;
  }

  /** Joins the input (the left side) with {@code right}. */
  public static <K, A, B> OnePassJoin<K, A, B> with(PCollection<KV<K, B>> right) {
    return new OnePassJoin<>(right);
  }

  @Override
  public PCollection<KV<K, Iterable<RawUnionValue>>> expand(PCollection<KV<K, A>> left) {
    KvCoder<K, A> leftCoder = (KvCoder<K, A>) left.getCoder();
    Coder<B> rightValueCoder = ((KvCoder<K, B>) right.getCoder()).getValueCoder();
    KvCoder<K, RawUnionValue> tagged = KvCoder.of(leftCoder.getKeyCoder(),
        UnionCoder.of(List.of(leftCoder.getValueCoder(), rightValueCoder)));
    PCollection<KV<K, RawUnionValue>> lefts = left.apply("TagLeft", ParDo.of(new TagFn<K, A>(LEFT))).setCoder(tagged);
    PCollection<KV<K, RawUnionValue>> rights = right.apply("TagRight", ParDo.of(new TagFn<K, B>(RIGHT))).setCoder(tagged);
    return PCollectionList.of(lefts).and(rights)
        .apply("BothSides", Flatten.pCollections())
        .apply("GroupOnce", GroupByKey.create());
  }

  /** A group's two sides, read in one pass (for consumers that hold the whole group anyway). */
  public record Sides<A, B>(List<A> left, List<B> right) {}

  @SuppressWarnings("unchecked")
  public static <A, B> Sides<A, B> split(Iterable<RawUnionValue> group) {
    List<A> left = new ArrayList<>();
    List<B> right = new ArrayList<>();
    for (RawUnionValue v : group) {
      if (v.getUnionTag() == LEFT) {
        left.add((A) v.getValue());
      } else {
        right.add((B) v.getValue());
      }
    }
    return new Sides<>(left, right);
  }

  /** A group's right side as a lazy view, for a consumer that streams it once (the left is skipped). */
  @SuppressWarnings("unchecked")
  public static <B> Iterable<B> rights(Iterable<RawUnionValue> group) {
    return () -> new Iterator<B>() {
      private final Iterator<RawUnionValue> it = group.iterator();
      private @Nullable RawUnionValue next = advance();

      private @Nullable RawUnionValue advance() {
        while (it.hasNext()) {
          RawUnionValue v = it.next();
          if (v.getUnionTag() == RIGHT) {
            return v;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public B next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        B value = (B) next.getValue();
        next = advance();
        return value;
      }
    };
  }

  static final class TagFn<K, V> extends DoFn<KV<K, V>, KV<K, RawUnionValue>> {
    private final int tag;

    TagFn(int tag) {
      this.tag = tag;
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<K, RawUnionValue>> out) {
      out.output(KV.of(kv.getKey(), new RawUnionValue(tag, kv.getValue())));
    }
  }
}
