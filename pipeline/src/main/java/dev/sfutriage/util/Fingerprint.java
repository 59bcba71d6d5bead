package dev.sfutriage.util;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Content fingerprint of a JSON record, insensitive to key order, to INT64 arriving as text or
 * number, and to a null field being present or omitted: the same row exported twice, by two tools,
 * hashes the same.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(JsonNode node) {
    StringBuilder sb = new StringBuilder(256);
    canonical(node, sb);
    return sha256(sb.toString());
  }

  public static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (int i = 0; i < 16; i++) {
        hex.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void canonical(JsonNode n, StringBuilder sb) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          keys.add(e.getKey());
        }
      }
      keys.sort(null);
      sb.append('{');
      for (String k : keys) {
        sb.append(k).append(':');
        canonical(n.get(k), sb);
        sb.append(',');
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (JsonNode c : n) {
        canonical(c, sb);
        sb.append(',');
      }
      sb.append(']');
    } else if (n.isNumber()) {
      sb.append('"').append(Json.numberText(n.asDouble(), n.asText())).append('"');
    } else {
      sb.append('"').append(n.asText().replace("\"", "\\\"")).append('"');
    }
  }
}
