package dev.sfutriage.util;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Tolerant JSON access: absent, null and empty are the same; INT64 may be text or number. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // a float read back keeps its digits as written: 21600.0, never 2.16E+4
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private Json() {}

  /** The child, or null when absent or JSON null. */
  public static @Nullable JsonNode get(@Nullable JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  /** First present child among several spellings. */
  public static @Nullable JsonNode first(@Nullable JsonNode node, String... fields) {
    for (String f : fields) {
      JsonNode v = get(node, f);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  public static @Nullable String text(@Nullable JsonNode node, String field) {
    return scalarText(get(node, field));
  }

  /** Scalars as text (numbers without a trailing .0 when whole); containers as JSON. */
  public static @Nullable String scalarText(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      String s = v.asText();
      return s.isEmpty() ? null : s;
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return numberText(v.asDouble(), v.asText());
    }
    if (v.isBoolean()) {
      return Boolean.toString(v.asBoolean());
    }
    return v.toString();
  }

  public static String numberText(double d, String fallback) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return fallback;
  }

  /**
   * An INT64/FLOAT64 that may arrive as a JSON number or as text; null when absent or not numeric.
   * Integers come back as a {@link Long} with every digit, other numbers as a {@link Double}.
   */
  public static @Nullable Number number(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Number) v.longValue() : (Number) v.doubleValue();
    }
    if (v.isNumber()) {
      return Numbers.canonical(v.doubleValue());
    }
    if (v.isTextual()) {
      String t = v.asText().trim();
      try {
        return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
      } catch (NumberFormatException notAnInteger) {
        try {
          return Numbers.canonical(Double.parseDouble(t));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? 1L : 0L;
    }
    return null;
  }

  /** A Long as a JSON integer, a Double as a JSON float; nothing for null. */
  public static void putNumber(ObjectNode o, String key, @Nullable Number n) {
    if (n instanceof Long) {
      o.put(key, n.longValue());
    } else if (n != null) {
      o.put(key, n.doubleValue());
    }
  }

  /** {@link #number} as a double, for arithmetic (timestamps, metric values). */
  public static @Nullable Double decimal(@Nullable JsonNode v) {
    Number n = number(v);
    return n == null ? null : n.doubleValue();
  }

  public static @Nullable Long longValue(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    Number n = number(v);
    return n == null ? null : n instanceof Long ? (Long) n : (Long) Math.round(n.doubleValue());
  }

  /** Copies the scalar fields of an object into text and numeric attributes. */
  public static void flattenScalars(JsonNode obj, Map<String, String> text, Map<String, Number> nums,
      java.util.Set<String> skip) {
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (skip.contains(e.getKey())) {
        continue;
      }
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isNumber()) {
        Number n = number(v);
        if (n != null) {
          nums.put(e.getKey(), n);
        }
      } else if (v.isTextual() || v.isBoolean()) {
        text.put(e.getKey(), v.asText());
      } else if (v.isContainerNode() && v.size() > 0) {
        String s = v.toString();
        text.put(e.getKey(), s.length() > 300 ? s.substring(0, 300) + "…" : s);
      }
    }
  }

  /** A short reason naming the problem and its column, e.g. "truncated JSON at column 31". */
  public static String describeParseError(JsonProcessingException e) {
    long col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
    String at = col > 0 ? " at column " + col : "";
    if (e instanceof JsonEOFException) {
      return "truncated JSON" + at;
    }
    String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (msg.contains("Invalid UTF-8")) {
      return "invalid UTF-8" + at;
    }
    if (msg.contains("Unexpected end-of-input")) {
      return "truncated JSON" + at;
    }
    if (e instanceof JsonParseException) {
      String first = msg.split("\n", 2)[0];
      int cut = first.indexOf(" (");
      if (cut > 0 && first.startsWith("Unrecognized token")) {
        first = first.substring(0, cut);
      }
      if (first.startsWith("Unexpected character")) {
        return "not JSON" + at + ": " + abbreviate(first);
      }
      return "invalid JSON" + at + ": " + abbreviate(first);
    }
    return "invalid JSON" + at;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
