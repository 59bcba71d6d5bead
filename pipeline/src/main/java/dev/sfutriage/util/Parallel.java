package dev.sfutriage.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Independent pieces of an in-process run (index partitions, groups of participants) on a few threads,
 * their results handed back in the pieces' order, never in the order they finish: the in-process
 * engine's outputs are compared byte for byte with the runner's (RunnerParityTest, IndexParityTest).
 */
public final class Parallel {
  private Parallel() {}

  /** The threads an in-process run uses: one per core the JVM may use. */
  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * {@code f} applied to every item on up to {@code threads} threads, the results in the items' order.
   * An exception of any item is thrown here (the first in the items' order), after the others stopped.
   */
  public static <T, R> List<R> map(List<T> items, int threads, Function<? super T, ? extends R> f) {
    int n = Math.min(threads, items.size());
    if (n <= 1) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(item -> out.add(f.apply(item)));
      return out;
    }
    AtomicInteger id = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "in-process-" + id.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> f.apply(item)));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<R> future : futures) {
        out.add(result(future));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code MapElements} on up to {@code threads} threads: {@code f} of every item, in the items' order. */
  public static <T, R> List<R> mapEach(List<T> items, int threads, Function<? super T, ? extends R> f) {
    List<R> out = new ArrayList<>(items.size());
    for (List<R> slice : map(slices(items, threads), threads, slice -> {
      List<R> part = new ArrayList<>(slice.size());
      slice.forEach(item -> part.add(f.apply(item)));
      return part;
    })) {
      out.addAll(slice);
    }
    return out;
  }

  /**
   * The items cut into contiguous slices, a few per thread (so that a slow slice does not leave the
   * other threads idle), in their order: concatenated, the slices are the items again.
   */
  public static <T> List<List<T>> slices(List<T> items, int threads) {
    int count = Math.max(1, Math.min(items.size(), threads <= 1 ? 1 : threads * SLICES_PER_THREAD));
    List<List<T>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(items.subList((int) ((long) items.size() * i / count), (int) ((long) items.size() * (i + 1) / count)));
    }
    return out;
  }

  private static final int SLICES_PER_THREAD = 8;

  private static <R> R result(Future<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
