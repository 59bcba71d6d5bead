package dev.sfutriage.read;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.KV;

/**
 * The per-source account of data-contract §8. Stages add to a {@link Tally} and flush it once per
 * bundle as {@code KV("source|outcome|reason", n)} partials that the report stage sums, so the
 * numbers in {@code summary.json} are exact on every runner; the same numbers go to Beam
 * {@link Metrics} counters (namespace = source) for the runner's UI.
 */
public final class Accounting {
  public static final String READ = "read";
  public static final String DEAD_LETTERED = "dead_lettered";
  public static final String DUPLICATES = "duplicates";
  public static final String FILTERED = "filtered";
  public static final String USED = "used";

  private Accounting() {}

  public static String key(String source, String outcome, String reason) {
    return source + "|" + outcome + "|" + (reason == null ? "" : reason);
  }

  /** Bundle-local counts; cheap to add to per record. */
  public static final class Tally {
    private final Map<String, long[]> counts = new HashMap<>();

    public void add(String source, String outcome, String reason, long n) {
      counter(key(source, outcome, reason))[0] += n;
    }

    /** Adds to one {@link #key} as {@link #drainOutsidePipeline} handed it out (merging partial tallies). */
    public void addKey(String key, long n) {
      counter(key)[0] += n;
    }

    /**
     * The running count of one {@link #key} in this tally, for a caller that adds to it per record
     * without building the key each time; valid until the next {@link #drain}.
     */
    long[] counter(String key) {
      return counts.computeIfAbsent(key, k -> new long[1]);
    }

    /** Flushes to the runner's counters and hands out the partials; leaves the tally empty. */
    public Iterable<KV<String, Long>> drain() {
      counts.forEach((k, v) -> {
        String[] parts = k.split("\\|", -1);
        Metrics.counter(parts[0], parts[1]).inc(v[0]);
      });
      return drainOutsidePipeline();
    }

    /** The partials without the runner's counters (the in-process engine has no runner); leaves the tally empty. */
    public java.util.List<KV<String, Long>> drainOutsidePipeline() {
      java.util.List<KV<String, Long>> out = new java.util.ArrayList<>(counts.size());
      counts.forEach((k, v) -> out.add(KV.of(k, v[0])));
      counts.clear();
      return out;
    }
  }
}
