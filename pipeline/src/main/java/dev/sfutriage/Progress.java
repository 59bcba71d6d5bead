package dev.sfutriage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the terminal shows while a run goes: stage lines on stderr (none with --quiet), and on a
 * terminal ({@code System.console() != null}) one {@code \r} line a second through the long phase:
 * records through each stage and the bytes the process has read of the input's total. Counts come
 * from side branches of the stages' outputs ({@link CountFn}) into JVM-wide counters, so they move on the embedded
 * runners (Flink, Direct, Spark local); on a remote runner the line shows only the elapsed time.
 */
final class Progress implements AutoCloseable {
  /**
   * Records through the stages, in pipeline order: read (the readers' accounting partials, per
   * bundle), used (after the filters and dedupe), correlated, incidents.
   */
  static final String[] STAGES = {"read", "used", "correlated", "incidents"};
  private static final AtomicLong[] COUNTS = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};

  private final @Nullable PrintStream err;
  private final boolean live;
  private final long start = System.nanoTime();
  private @Nullable Thread ticker;
  private volatile boolean drawn;

  Progress(@Nullable PrintStream err, boolean live) {
    this.err = err;
    this.live = err != null && live;
  }

  void stage(String what) {
    if (err != null) {
      clearLine();
      err.printf(Locale.ROOT, "[%5.1fs] %s%n", seconds(), what);
    }
  }

  /** Starts the one-line ticker (on a terminal only) for a phase reading {@code totalBytes} of input. */
  void live(long totalBytes) {
    for (AtomicLong c : COUNTS) {
      c.set(0);
    }
    if (!live) {
      return;
    }
    long baseline = bytesRead();
    Thread t = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1000);
          print(line(Math.max(0, bytesRead() - baseline), totalBytes));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sfu-triage-progress");
    t.setDaemon(true);
    t.start();
    ticker = t;
  }

  private synchronized void print(String line) {
    err.print("\r" + line + "\u001b[K");
    err.flush();
    drawn = true;
  }

  private synchronized void clearLine() {
    if (drawn) {
      err.print("\r\u001b[K");
      drawn = false;
    }
  }

  String line(long bytes, long totalBytes) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%5.1fs]", seconds()));
    String sep = " ";
    if (totalBytes > 0) {
      sb.append(String.format(Locale.ROOT, " input %s of %s read", mb(Math.min(bytes, totalBytes)), mb(totalBytes)));
      sep = " · ";
    }
    // A stage's count shows once it moves: a runner may hand a stage its input only when the one before is done.
    for (int i = 0; i < STAGES.length; i++) {
      long n = COUNTS[i].get();
      if (n > 0) {
        sb.append(sep).append(String.format(Locale.ROOT, "%,d %s", n, STAGES[i]));
        sep = " · ";
      }
    }
    return sb.toString();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** Bytes this process has read so far (Linux /proc/self/io rchar), or 0 where that is unknown. */
  private static long bytesRead() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (l.startsWith("rchar:")) {
          return Long.parseLong(l.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not allowed: the line shows records only
    }
    return 0;
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ticker = null;
    }
    if (err != null) {
      clearLine();
    }
  }

  /** Adds the readers' "source|read|…" accounting partials to the read count (a side branch). */
  static final class ReadCountFn extends DoFn<org.apache.beam.sdk.values.KV<String, Long>, Void> {
    @ProcessElement
    public void process(@Element org.apache.beam.sdk.values.KV<String, Long> partial) {
      String key = partial.getKey();
      int bar = key.indexOf('|');
      if (bar > 0 && key.startsWith(dev.sfutriage.read.Accounting.READ + "|", bar + 1)) {
        COUNTS[0].addAndGet(partial.getValue());
      }
    }
  }

  /** Counts the elements of one stage's output (a side branch: it outputs nothing, changes nothing). */
  static final class CountFn<T> extends DoFn<T, Void> {
    private final int stage;

    CountFn(String stage) {
      this.stage = java.util.Arrays.asList(STAGES).indexOf(stage);
    }

    @ProcessElement
    public void process(@Element T e) {
      COUNTS[stage].incrementAndGet();
    }
  }
}
