package dev.sfutriage.trust;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutates real fixture records the ways production data goes wrong. Each mutation says whether the
 * result is certainly unreadable (then it must be dead-lettered) or may still be a valid record.
 */
final class Mutator {
  /** A mutated record: its bytes and whether any reader must reject it. */
  static final class Mutant {
    final byte[] bytes;
    final boolean mustDeadLetter;
    final String kind;

    Mutant(byte[] bytes, boolean mustDeadLetter, String kind) {
      this.bytes = bytes;
      this.mustDeadLetter = mustDeadLetter;
      this.kind = kind;
    }

    /** The mutant as one NDJSON line: a line break inside it would make two records. */
    void writeLine(java.io.ByteArrayOutputStream file) {
      for (byte b : bytes) {
        file.write(b == '\n' ? ' ' : b);
      }
      file.write('\n');
    }
  }

  private final Random random;

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  Mutant mutate(String line) {
    int kind = random.nextInt(12);
    switch (kind) {
      case 0: { // truncation (a torn write)
        int cut = 1 + random.nextInt(Math.max(1, line.length() - 2));
        return new Mutant(bytes(line.substring(0, cut)), true, "truncated");
      }
      case 1: // invalid UTF-8 inside the record
        return new Mutant(withInvalidUtf8(line), true, "invalid utf-8");
      case 2: // a type flip: a string where a number was, or the reverse
        return maybe(line.replaceFirst("\"event_timestamp\":\"(\\d+)\"", "\"event_timestamp\":{\"v\":$1}")
            .replaceFirst("\"timestamp\":\"([^\"]+)\"", "\"timestamp\":[\"$1\"]"), "type flip");
      case 3: // huge values
        return maybe(line.replaceFirst("\"(error|event_name|event)\":\"", "\"$1\":\"" + "x".repeat(200_000)), "huge value");
      case 4: // nested nulls
        return maybe(line.replace("{\"string_value\":", "{\"string_value\":null,\"x\":").replace("\"params\":[", "\"params\":[null,"),
            "nested nulls");
      case 5: // timestamps far from the day
        return maybe(line.replaceFirst("17954\\d{11}", random.nextBoolean() ? "1000000" : "4102444800000000")
            .replaceFirst("2026-11-23", random.nextBoolean() ? "1970-01-01" : "2100-01-01"), "far timestamp");
      case 6: // not JSON at all
        return new Mutant(bytes("<html><body>502 Bad Gateway</body></html>"), true, "not json");
      case 7: // a JSON value that is not an object
        return new Mutant(bytes(random.nextBoolean() ? "[" + line + "]" : "\"" + line.length() + "\""), true, "not an object");
      case 8: // BOM and CRLF
        return maybe("\uFEFF" + line + "\r", "bom/crlf");
      case 9: // an empty object
        return new Mutant(bytes("{}"), true, "empty object");
      case 10: // duplicated keys and trailing garbage
        return new Mutant(bytes(line + " trailing"), true, "trailing garbage");
      default: // the record unchanged
        return maybe(line, "unchanged");
    }
  }

  private Mutant maybe(String s, String kind) {
    return new Mutant(bytes(s), false, kind);
  }

  private byte[] withInvalidUtf8(String line) {
    byte[] b = bytes(line);
    // Replace a byte inside the first string value with a lone continuation byte.
    int quote = line.indexOf("\":\"");
    int at = quote < 0 ? b.length / 2 : Math.min(b.length - 1, quote + 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at);
    out.write(0xC3);
    out.write(0x28);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> sample(List<String> lines, int n, Random random) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(lines.get(random.nextInt(lines.size())));
    }
    return out;
  }
}
