package dev.sfutriage.util;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every timestamp form the sources use, to microseconds since the epoch.
 *
 * <p>Text: ISO-8601 with {@code Z} or an offset, BigQuery's {@code 2026-11-23 18:02:11.412000 UTC},
 * PostgreSQL's {@code 2026-11-23 18:02:11.412+00}, and zone-less forms (taken as UTC). Numbers
 * (or numeric text): epoch seconds, milliseconds, microseconds or nanoseconds, told apart by
 * magnitude — a 2026 date is ~1.8e9 s, 1.8e12 ms, 1.8e15 µs, 1.8e18 ns. Objects: a protobuf
 * {@code Timestamp} {@code {seconds, nanos}} (Cloud Logging's LogEntry, Crashlytics through the API).
 */
public final class Times {
  private static final Pattern NUMERIC = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
  private static final Pattern SHORT_OFFSET = Pattern.compile("([+-]\\d{2})$");
  private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");
  private static final DateTimeFormatter ISO_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_UTC_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Times() {}

  /** Parses a JSON value (number or text); null when absent, JSON null or empty. */
  public static @Nullable Long micros(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isNumber()) {
      return fromEpochNumber(node.asDouble(), node.isIntegralNumber() ? node.asLong() : null);
    }
    if (node.isTextual()) {
      return micros(node.asText());
    }
    if (node.isObject() && node.has("seconds")) {
      return protobufTimestamp(node);
    }
    throw new IllegalArgumentException("timestamp is a JSON " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
  }

  /**
   * A protobuf {@code Timestamp} as an object, {@code {"seconds": 1795456931, "nanos": 412000000}}
   * (seconds an INT64, as a number or text; nanos optional, 0 to 999 999 999).
   */
  private static long protobufTimestamp(JsonNode node) {
    Number seconds = Json.number(node.get("seconds"));
    JsonNode nanosNode = node.get("nanos");
    Number nanos = nanosNode == null || nanosNode.isNull() ? Long.valueOf(0) : Json.number(nanosNode);
    if (!(seconds instanceof Long) || !(nanos instanceof Long) || nanos.longValue() < 0 || nanos.longValue() > 999_999_999L) {
      throw new IllegalArgumentException("timestamp object is not {seconds, nanos}: " + abbreviate(node.toString()));
    }
    try {
      return Math.addExact(Math.multiplyExact(seconds.longValue(), 1_000_000L), nanos.longValue() / 1000L);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("timestamp seconds out of range: " + seconds);
    }
  }

  /** Parses text; null when empty. Throws IllegalArgumentException naming the bad value. */
  public static @Nullable Long micros(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.isEmpty()) {
      return null;
    }
    if (NUMERIC.matcher(s).matches()) {
      boolean integral = s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
      return fromEpochNumber(Double.parseDouble(s), integral ? Long.parseLong(s) : null);
    }
    try {
      return toMicros(parseText(s));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("unparseable timestamp '" + abbreviate(s) + "'");
    }
  }

  private static Instant parseText(String s) {
    String t = s;
    if (t.endsWith(" UTC")) {
      t = t.substring(0, t.length() - 4) + "Z";
    }
    if (t.length() > 10 && t.charAt(10) == ' ') {
      t = t.substring(0, 10) + 'T' + t.substring(11);
    }
    t = t.replace(" ", "");
    if (t.length() == 10) {
      t = t + "T00:00:00Z";
    }
    if (t.endsWith("Z") || t.endsWith("z")) {
      return OffsetDateTime.parse(t.substring(0, t.length() - 1) + "Z").toInstant();
    }
    String tail = t.substring(Math.min(t.length(), 19));
    if (tail.contains("+") || tail.contains("-")) {
      if (COMPACT_OFFSET.matcher(t).find() && !t.matches(".*[+-]\\d{2}:\\d{2}$")) {
        t = COMPACT_OFFSET.matcher(t).replaceFirst("$1:$2");
      } else if (SHORT_OFFSET.matcher(t).find()) {
        t = t + ":00";
      }
      return OffsetDateTime.parse(t).toInstant();
    }
    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }

  private static long fromEpochNumber(double v, @Nullable Long exact) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("timestamp is not a finite number");
    }
    double a = Math.abs(v);
    if (a < 1e11) { // seconds (up to year 5138)
      return Math.round(v * 1_000_000d);
    }
    if (a < 1e14) { // milliseconds
      return exact != null ? Math.multiplyExact(exact, 1000L) : Math.round(v * 1000d);
    }
    if (a < 1e17) { // microseconds
      return exact != null ? exact : Math.round(v);
    }
    return exact != null ? exact / 1000L : Math.round(v / 1000d); // nanoseconds
  }

  public static long toMicros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000L);
  }

  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** ISO-8601 UTC with microseconds when there are any, else milliseconds: stable text for outputs. */
  public static String iso(long micros) {
    Instant i = toInstant(micros);
    return (micros % 1000 == 0 ? ISO_UTC_MILLIS : ISO_UTC).format(i);
  }

  /** Durations in rules and options: {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms} or plain seconds. */
  public static long durationMicros(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Math.round(Double.parseDouble(s.substring(0, s.length() - 2)) * 1000d);
      }
      char unit = s.charAt(s.length() - 1);
      double n = Character.isDigit(unit) ? Double.parseDouble(s) : Double.parseDouble(s.substring(0, s.length() - 1));
      switch (unit) {
        case 'h':
          return Math.round(n * 3_600_000_000d);
        case 'm':
          return Math.round(n * 60_000_000d);
        case 'd':
          return Math.round(n * 86_400_000_000d);
        case 's':
        default:
          if (!Character.isDigit(unit) && unit != 's') {
            throw new NumberFormatException();
          }
          return Math.round(n * 1_000_000d);
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration: '" + raw + "' (use e.g. 90s, 2m, 1h)");
    }
  }

  public static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
