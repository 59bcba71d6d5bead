package dev.sfutriage;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.util.Times;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.checkerframework.checker.nullness.qual.Nullable;

/** --date, --from, --to: the run's data window (half-open), checked once for runs and --validateQueries. */
final class WindowConfig {
  private WindowConfig() {}

  /** The window the options give, or null when they give none (the span of the data). */
  static @Nullable DataWindow of(TriageOptions o) {
    Long from = null;
    Long to = null;
    if (o.getDate() != null) {
      try {
        LocalDate d = LocalDate.parse(o.getDate().trim());
        from = startOf(d);
        to = startOf(d.plusDays(1));
      } catch (DateTimeParseException e) {
        throw new RunConfig.UsageException("--date: expected YYYY-MM-DD, got '" + o.getDate() + "'");
      }
    }
    if (o.getFrom() != null) {
      from = instant("--from", o.getFrom());
    }
    if (o.getTo() != null) {
      to = instant("--to", o.getTo());
    }
    if (from == null && to == null) {
      return null;
    }
    if (from == null || to == null) {
      throw new RunConfig.UsageException((from == null ? "--to" : "--from") + " needs " + (from == null ? "--from" : "--to")
          + " too (or use --date)");
    }
    if (from >= to) {
      throw new RunConfig.UsageException("--from (" + Times.iso(from) + ") is not before --to (" + Times.iso(to) + ")");
    }
    return new DataWindow(from, to);
  }

  /** The window the options give, else yesterday (UTC). */
  static DataWindow orYesterday(TriageOptions o) {
    DataWindow w = of(o);
    if (w != null) {
      return w;
    }
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    return new DataWindow(startOf(yesterday), startOf(yesterday.plusDays(1)));
  }

  private static long startOf(LocalDate d) {
    return Times.toMicros(d.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static long instant(String option, String value) {
    try {
      Long v = Times.micros(value);
      if (v == null) {
        throw new IllegalArgumentException("empty");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new RunConfig.UsageException(option + ": not an ISO-8601 time: '" + value + "' (e.g. 2026-11-23T00:00:00Z)");
    }
  }
}
