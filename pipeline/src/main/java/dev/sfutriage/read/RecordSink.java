package dev.sfutriage.read;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a parser puts each record it reads. Every record gets exactly one call: that is how the
 * run accounts for every input record (read = dead_lettered + duplicates + filtered + used).
 */
public interface RecordSink<T> {
  /** A readable, relevant record; {@code dedupeKey} is non-null when duplicates must be collapsed. */
  void accept(T value, @Nullable String dedupeKey);

  /** A readable record the run does not need (not about LiveKit, outside the window or the scope). */
  void filtered(String reason);

  /** An unreadable record. */
  void deadLetter(String location, String reason, String raw);
}
