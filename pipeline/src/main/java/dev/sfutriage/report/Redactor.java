package dev.sfutriage.report;

import dev.sfutriage.util.Fingerprint;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction point: every byte sfu-triage writes (files, BigQuery rows, the terminal summary)
 * passes through {@link #redact}. Reports are pasted into tickets and shared with customers' admins;
 * a LiveKit token in them lets a stranger into a room.
 *
 * <p>Removes JWTs (also truncated ones and those inside LiveKit's {@code invalid token: <JWT>}
 * messages), bearer tokens, LiveKit API keys ({@code API...}), values of token/secret/password/key
 * fields in JSON, query strings and env lines, and e-mail addresses (replaced by a stable hash so the
 * same person is still recognisable across outputs).
 */
public final class Redactor {
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){0,2}");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern API_KEY = Pattern.compile("\\bAPI[A-Za-z0-9]{8,}\\b");
  private static final Pattern SECRET_FIELD = Pattern.compile(
      "(?i)((?:[a-z0-9]+_)*(?:secret|password|passwd|pwd|token|api_?key|apikey|authorization|credentials?)"
          + "(?:_[a-z0-9]+)*)(\\\\?[\"']?\\s*[:=]\\s*\\\\?[\"']?)(?!\\[REDACTED|(?i:bearer)\\b)([^\"'\\s,;&}\\]\\\\]{3,})");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = JWT.matcher(text).replaceAll("[REDACTED_JWT]");
    s = BEARER.matcher(s).replaceAll("$1 [REDACTED]");
    s = API_KEY.matcher(s).replaceAll("[REDACTED_API_KEY]");
    s = redactFields(s);
    return maskEmails(s);
  }

  private static String redactFields(String s) {
    Matcher m = SECRET_FIELD.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).toLowerCase();
      // Names that merely mention tokens (event names, ttl fields) are not secrets.
      boolean benign = name.startsWith("livekit_token") || name.endsWith("_ttl") || name.contains("token_fetch")
          || name.contains("token_issued") || name.endsWith("_seconds") || name.endsWith("_count")
          || name.endsWith("_status") || name.endsWith("_event");
      m.appendReplacement(out, Matcher.quoteReplacement(benign ? m.group() : m.group(1) + m.group(2) + "[REDACTED]"));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String maskEmails(String s) {
    Matcher m = EMAIL.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "[email:" + Fingerprint.sha256(m.group().toLowerCase()).substring(0, 10) + "]");
    }
    m.appendTail(out);
    return out.toString();
  }
}
