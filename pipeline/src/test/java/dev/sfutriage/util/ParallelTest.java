package dev.sfutriage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Results in the items' order whatever order the threads finish in; an item's failure is the caller's. */
class ParallelTest {
  @Test
  void resultsComeInTheItemsOrderNotTheOrderTheyFinish() {
    List<Integer> items = IntStream.range(0, 40).boxed().toList();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    // the first items take longest: on several threads they finish last
    List<String> out = Parallel.map(items, 4, i -> {
      threads.add(Thread.currentThread().getName());
      sleep(i < 8 ? 40 - 4 * i : 0);
      return "item " + i;
    });
    List<String> expected = new ArrayList<>();
    items.forEach(i -> expected.add("item " + i));
    assertEquals(expected, out);
    assertEquals(4, threads.size(), threads.toString());
  }

  @Test
  void oneThreadRunsInTheCallersThread() {
    Thread caller = Thread.currentThread();
    assertEquals(List.of(true, true), Parallel.map(List.of(1, 2), 1, i -> Thread.currentThread() == caller));
  }

  @Test
  void anItemsExceptionIsThrownToTheCaller() {
    IllegalArgumentException boom = new IllegalArgumentException("item 5");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.map(
        IntStream.range(0, 20).boxed().toList(), 3, i -> {
          if (i == 5) {
            throw boom;
          }
          return i;
        }));
    assertSame(boom, e);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
