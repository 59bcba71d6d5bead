package dev.sfutriage.util;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Beam's grouping and combining primitives over lists held in memory, for the in-process engine
 * ({@code dev.sfutriage.inprocess.InProcessRun}): the same {@link Combine.CombineFn}s the pipeline
 * runs, called in this thread, so both engines share every per-element and per-key function.
 */
public final class InMemory {
  private InMemory() {}

  /** {@code Combine.globally}: one accumulator over all of them (the default output when there are none). */
  public static <I, A, O> O combine(Iterable<? extends I> in, Combine.CombineFn<I, A, O> fn) {
    A acc = fn.createAccumulator();
    for (I i : in) {
      acc = fn.addInput(acc, i);
    }
    return fn.extractOutput(acc);
  }

  /** {@code Combine.perKey}: one output per key that has an input. */
  public static <K, I, A, O> Map<K, O> combinePerKey(Iterable<? extends I> in, Function<? super I, K> key,
      Combine.CombineFn<I, A, O> fn) {
    Map<K, A> accs = new HashMap<>();
    for (I i : in) {
      K k = key.apply(i);
      A acc = accs.get(k);
      accs.put(k, fn.addInput(acc == null ? fn.createAccumulator() : acc, i));
    }
    Map<K, O> out = new HashMap<>();
    accs.forEach((k, a) -> out.put(k, fn.extractOutput(a)));
    return out;
  }

  /** {@code GroupByKey} after {@code WithKeys}. */
  public static <K, V> Map<K, List<V>> group(Iterable<? extends V> in, Function<? super V, K> key) {
    Map<K, List<V>> out = new HashMap<>();
    for (V v : in) {
      out.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(v);
    }
    return out;
  }

  /** {@code Filter.by}. */
  public static <V> List<V> filter(Iterable<? extends V> in, Predicate<? super V> keep) {
    List<V> out = new ArrayList<>();
    for (V v : in) {
      if (keep.test(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** {@code MapElements}. */
  public static <V, W> List<W> map(Iterable<? extends V> in, Function<? super V, W> f) {
    List<W> out = new ArrayList<>();
    for (V v : in) {
      out.add(f.apply(v));
    }
    return out;
  }
}
