package dev.sfutriage.report;

import dev.sfutriage.util.Fingerprint;
import java.util.Locale;
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
  /** An identifier and a ":" or "=" separator; {@link #SECRET_NAME} decides. Possessive: linear time. */
  private static final Pattern FIELD = Pattern.compile("([A-Za-z0-9_]++)(\\\\?[\"']?\\s*+[:=]\\s*+\\\\?[\"']?)");
  /** The value after a secret field's separator (not an already redacted or a "Bearer" one). */
  private static final Pattern VALUE = Pattern.compile("(?!\\[REDACTED|(?i:bearer)\\b)[^\"'\\s,;&}\\]\\\\]{3,}+");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(secret|password|passwd|pwd|token|api_?key|apikey|authorization|credentials?).*");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)*+");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // Cheap guards first: most lines have none of these, and the scans are what a report's cost is.
    String s = text.contains("eyJ") ? JWT.matcher(text).replaceAll("[REDACTED_JWT]") : text;
    s = containsIgnoreCase(s, "bearer") ? BEARER.matcher(s).replaceAll("$1 [REDACTED]") : s;
    s = s.contains("API") ? API_KEY.matcher(s).replaceAll("[REDACTED_API_KEY]") : s;
    s = redactFields(s);
    return s.indexOf('@') >= 0 ? maskEmails(s) : s;
  }

  private static boolean containsIgnoreCase(String s, String word) {
    return s.regionMatches(true, 0, word, 0, 0) && s.toLowerCase(java.util.Locale.ROOT).contains(word);
  }

  private static String redactFields(String s) {
    Matcher m = FIELD.matcher(s);
    Matcher value = VALUE.matcher(s);
    StringBuilder out = new StringBuilder();
    int copied = 0;
    int from = 0;
    while (m.find(from)) {
      from = m.end();
      String name = m.group(1).toLowerCase(java.util.Locale.ROOT);
      if (!SECRET_NAME.matcher(name).matches() || isBenign(name)) {
        continue;
      }
      value.region(m.end(), s.length());
      if (value.lookingAt()) {
        out.append(s, copied, value.start()).append("[REDACTED]");
        copied = value.end();
        from = value.end();
      }
    }
    return copied == 0 ? s : out.append(s, copied, s.length()).toString();
  }

  /** Names that merely mention tokens (event names, ttl and count fields) are not secrets. */
  private static boolean isBenign(String name) {
    return name.startsWith("livekit_token") || name.endsWith("_ttl") || name.contains("token_fetch")
        || name.contains("token_issued") || name.endsWith("_seconds") || name.endsWith("_count")
        || name.endsWith("_status") || name.endsWith("_event");
  }

  private static String maskEmails(String s) {
    Matcher m = EMAIL.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String candidate = m.group();
      int at = candidate.indexOf('@');
      String domain = candidate.substring(at + 1);
      int dot = domain.lastIndexOf('.');
      if (dot < 1 || domain.length() - dot - 1 < 2 || !domain.substring(dot + 1).chars().allMatch(Character::isLetter)) {
        m.appendReplacement(out, Matcher.quoteReplacement(candidate)); // not an address (no top-level domain)
        continue;
      }
      m.appendReplacement(out, "[email:" + Fingerprint.sha256(m.group().toLowerCase(Locale.ROOT)).substring(0, 10) + "]");
    }
    m.appendTail(out);
    return out.toString();
  }
}
