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
