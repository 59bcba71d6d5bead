package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one redaction point. It works on values — every string that reaches an output, before it is
 * CSV-quoted, JSON-escaped or put into HTML/Markdown ({@link #redactValues} for the JSON trees of
 * {@link Finalize} and the BigQuery rows, {@link #redact} for one string, {@link #lines} for the
 * terminal: stdout and every stderr line). Reports are pasted into tickets and shared with customers'
 * admins; a LiveKit token in them lets a stranger into a room.
 *
 * <p>Removes, in this order: PEM private-key blocks; JWTs (also truncated ones and those inside
 * LiveKit's {@code invalid token: <JWT>}); credentials after an HTTP auth scheme ({@code Bearer},
 * {@code Basic}, {@code Token}, {@code Digest}, {@code Negotiate}, also {@code Bearer%20…}); LiveKit
 * API keys ({@code API…}); passwords in URLs ({@code ://user:…@}); the value of every field whose name
 * says secret (token, secret, password, passphrase, api-key, private key, authorization, credentials,
 * cookie …) in JSON, query strings, env lines and headers — up to the value's real end: a quoted value
 * to its closing quote at the same escaping depth (JSON inside a JSON string), an unquoted one to the
 * next blank; in a JSON tree a field with such a name is replaced whole. E-mail addresses (also
 * internationalised and percent-encoded ones) become a keyed pseudonym: the first 12 hex digits of
 * HMAC-SHA256(key, the address lower-cased) with the key from {@code SFU_TRIAGE_PSEUDONYM_KEY} — the
 * same person is recognisable across runs and outputs with the same key, and nobody without it can
 * test a customer list against them. Without the key an address becomes {@code [email]}.
 *
 * <p>Idempotent: what it writes ({@code [REDACTED]}, {@code [email:…]}) is left alone by a second pass.
 */
public final class Redactor {
  /** The environment variable with the pseudonym key. */
  public static final String KEY_ENV = "SFU_TRIAGE_PSEUDONYM_KEY";

  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[A-Za-z0-9+/=\\s\\\\]*+(?:-----END [A-Z0-9 ]*PRIVATE KEY-----)?");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){0,2}");
  /** An auth scheme, its separator (a blank, %20 or +) and the credential. */
  private static final Pattern SCHEME = Pattern.compile(
      "(?i)\\b(bearer|basic|token|digest|negotiate)(\\s++|%20|\\+)(?!\\[REDACTED)([A-Za-z0-9._~+/-]{6,}+={0,2})");
  private static final Pattern SCHEME_WORD = Pattern.compile("(?i)(bearer|basic|token|digest|negotiate)(\\s++|%20|\\+)");
  private static final Pattern API_KEY = Pattern.compile("\\bAPI[A-Za-z0-9]{8,}\\b");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@\"']++:)(?!\\[REDACTED)[^/\\s@\"']++@");
  /** A field name, an optional closing quote (escaped to any depth), and ":" or "=". Possessive: linear. */
  private static final Pattern FIELD = Pattern.compile("(?<![A-Za-z0-9_-])([A-Za-z0-9_-]++)\\\\*+[\"']?\\s*+[:=]\\s*+");
  /** Every secret name contains one of these: text without any has no secret field (the cheap guard). */
  private static final String[] SECRET_STEMS = {"secret", "pass", "pwd", "token", "key", "authoriz", "credential", "cookie"};
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(secret|password|passwd|pwd|passphrase|token|api[-_]?key|apikey|private[-_]?key|authorization"
          + "|credentials?|cookie|access[-_]?key|signing[-_]?key).*");
  private static final Pattern PASSWORD_NAME = Pattern.compile("(?i).*(password|passwd|pwd|passphrase|pin|secret).*");
  private static final Pattern EMAIL = Pattern.compile(
      "(?:[\\p{L}\\p{M}\\p{N}._+'-]|%(?!40)[0-9a-f]{2})++(?:@|%40)[\\p{L}\\p{M}\\p{N}-]++(?:\\.[\\p{L}\\p{M}\\p{N}-]++)++",
      Pattern.CASE_INSENSITIVE);

  private static volatile byte @Nullable [] key = keyOf(System.getenv(KEY_ENV));

  private Redactor() {}

  /** Uses another pseudonym key (null: none); the BigQuery workers get the launcher's this way. */
  public static void useKey(@Nullable String k) {
    key = keyOf(k);
  }

  /** The key in use (null: none), to hand to workers. */
  public static @Nullable String currentKey() {
    byte[] k = key;
    return k == null ? null : new String(k, StandardCharsets.UTF_8);
  }

  /** How e-mail addresses appear in this run's outputs, for summary.json. */
  public static String pseudonyms() {
    return key != null ? "[email:<HMAC-SHA256 keyed by " + KEY_ENV + ">]"
        : "[email] (no pseudonyms: set " + KEY_ENV + " for keyed ones, stable across runs)";
  }

  private static byte @Nullable [] keyOf(@Nullable String k) {
    return k == null || k.isEmpty() ? null : k.getBytes(StandardCharsets.UTF_8);
  }

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    // Cheap guards first: most values have none of these, and the scans are what a report's cost is.
    String s = text.contains("PRIVATE KEY-----") ? PRIVATE_KEY.matcher(text).replaceAll("[REDACTED_PRIVATE_KEY]") : text;
    s = s.contains("eyJ") ? JWT.matcher(s).replaceAll("[REDACTED_JWT]") : s;
    String lower = s.toLowerCase(Locale.ROOT);
    s = containsScheme(lower) ? schemes(s) : s;
    s = s.contains("API") ? API_KEY.matcher(s).replaceAll("[REDACTED_API_KEY]") : s;
    s = s.contains("://") ? URL_PASSWORD.matcher(s).replaceAll("$1[REDACTED]@") : s;
    s = mentionsSecret(lower) && (s.indexOf(':') >= 0 || s.indexOf('=') >= 0) ? redactFields(s) : s;
    return s.indexOf('@') >= 0 || s.contains("%40") ? maskEmails(s) : s;
  }

  /**
   * A copy of a JSON tree with every string value redacted, and the whole value of every field whose
   * name says secret replaced by {@code [REDACTED]}; field names are redacted too.
   */
  public static JsonNode redactValues(JsonNode n) {
    if (n.isTextual()) {
      String t = n.asText();
      String r = redact(t);
      return r.equals(t) ? n : TextNode.valueOf(r);
    }
    if (n.isArray()) {
      ArrayNode a = ((ArrayNode) n).arrayNode(n.size());
      n.forEach(e -> a.add(redactValues(e)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = ((ObjectNode) n).objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode v = f.getValue();
        // a number under a secret-sounding name is a secret only where the name says password
        // (a PIN): "token_expired": 3 in summary.json is a count of incidents of that cause
        boolean secret = isSecretName(f.getKey()) && (v.isTextual() || (v.isNumber() && isPasswordName(f.getKey())))
            && !(v.isTextual() && (v.asText().isEmpty() || v.asText().startsWith("[REDACTED")));
        o.set(redact(f.getKey()), secret ? TextNode.valueOf("[REDACTED]") : redactValues(v));
      }
      return o;
    }
    return n;
  }

  /** A print stream that redacts every line before it reaches {@code target} (the terminal). */
  public static PrintStream lines(PrintStream target) {
    return new PrintStream(new LineRedacting(target), true, StandardCharsets.UTF_8);
  }

  private static String schemes(String s) {
    Matcher m = SCHEME.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (isCredential(s, m)) {
        m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + "[REDACTED]"));
      }
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * After "Bearer", or in an Authorization header, always. Otherwise "Token expired", "basic auth
   * failed", "/sfu/token status_code=503" are words: a Basic credential must decode to "user:pass",
   * a Token/Digest/Negotiate one be long and have a digit.
   */
  private static boolean isCredential(String s, Matcher m) {
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String credential = m.group(3);
    if (scheme.equals("bearer")
        || s.substring(Math.max(0, m.start() - 40), m.start()).toLowerCase(Locale.ROOT).contains("authoriz")) {
      return true;
    }
    if (scheme.equals("basic")) {
      try {
        return new String(java.util.Base64.getDecoder().decode(credential), StandardCharsets.UTF_8).indexOf(':') > 0;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return credential.length() >= 16 && credential.chars().anyMatch(Character::isDigit);
  }

  private static boolean mentionsSecret(String lower) {
    for (String stem : SECRET_STEMS) {
      if (lower.contains(stem)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsScheme(String l) {
    return l.contains("bearer") || l.contains("basic") || l.contains("token") || l.contains("digest") || l.contains("negotiate");
  }

  private static String redactFields(String s) {
    Matcher m = FIELD.matcher(s);
    StringBuilder out = new StringBuilder();
    int copied = 0;
    int from = 0;
    while (from < s.length() && m.find(from)) {
      from = m.end();
      if (!isSecretName(m.group(1))) {
        continue;
      }
      int[] value = valueAt(s, m.end());
      if (value != null) {
        out.append(s, copied, value[0]).append("[REDACTED]");
        copied = value[1];
        from = Math.max(from, value[1]);
      }
    }
    return copied == 0 ? s : out.append(s, copied, s.length()).toString();
  }

  private static boolean isPasswordName(String field) {
    return PASSWORD_NAME.matcher(field).matches();
  }

  private static boolean isSecretName(String field) {
    String name = field.toLowerCase(Locale.ROOT);
    return SECRET_NAME.matcher(name).matches() && !isBenign(name);
  }

  /**
   * The span of the value starting at {@code at}: a quoted one (its quote escaped by k backslashes)
   * runs to the same quote with exactly k backslashes before it — a quote of a JSON string nested
   * deeper has more — or to the end; an unquoted one to the next blank, quote, bracket or '&', a
   * comma or semicolon only when a blank follows (at least 3 characters). Null: nothing to redact (empty, already redacted).
   */
  private static int @Nullable [] valueAt(String s, int valueStart) {
    int at = valueStart;
    int i = at;
    while (i < s.length() && s.charAt(i) == '\\') {
      i++;
    }
    if (i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
      int depth = i - at;
      char q = s.charAt(i);
      int start = i + 1;
      int end = start;
      for (; end < s.length(); end++) {
        if (s.charAt(end) == q && backslashesBefore(s, end) == depth) {
          break;
        }
      }
      int valueEnd = end - depth;
      if (valueEnd <= start || redacted(s, start)) {
        return null;
      }
      return new int[] {start, valueEnd};
    }
    Matcher scheme = SCHEME_WORD.matcher(s).region(at, s.length());
    if (scheme.lookingAt()) {
      at = scheme.end(); // "Authorization: Basic …": the credential is the value
    }
    if (redacted(s, at)) {
      return null;
    }
    int end = at;
    for (; end < s.length(); end++) {
      char c = s.charAt(end);
      if (Character.isWhitespace(c) || "\"'\\&<>(){}[]".indexOf(c) >= 0) {
        break;
      }
      if ((c == ',' || c == ';') && (end + 1 == s.length() || Character.isWhitespace(s.charAt(end + 1)))) {
        break;
      }
    }
    return end - at >= 3 ? new int[] {at, end} : null; // "token_failed: 1" is a count, not a secret
  }

  /** Already redacted (also as Markdown escapes it): a second pass leaves it. */
  private static boolean redacted(String s, int at) {
    return s.startsWith("[REDACTED", at) || s.startsWith("\\[REDACTED", at);
  }

  private static int backslashesBefore(String s, int i) {
    int n = 0;
    while (i - n - 1 >= 0 && s.charAt(i - n - 1) == '\\') {
      n++;
    }
    return n;
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
      String address = candidate.contains("%") ? percentDecoded(candidate) : candidate;
      int at = address.indexOf('@');
      String domain = address.substring(at + 1);
      int dot = domain.lastIndexOf('.');
      String tld = dot < 1 ? "" : domain.substring(dot + 1);
      boolean isTld = tld.length() >= 2 && (tld.chars().allMatch(Character::isLetter) || tld.toLowerCase(Locale.ROOT).startsWith("xn--"));
      if (at < 1 || !isTld) {
        m.appendReplacement(out, Matcher.quoteReplacement(candidate)); // not an address (no top-level domain)
        continue;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(pseudonym(address)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String percentDecoded(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s.replaceAll("(?i)%40", "@");
    }
  }

  static String pseudonym(String address) {
    byte[] k = key;
    if (k == null) {
      return "[email]";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      byte[] d = mac.doFinal(address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder("[email:");
      for (int i = 0; i < 6; i++) {
        hex.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
      }
      return hex.append(']').toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Buffers a line, redacts it, writes it: nothing reaches the terminal unredacted. */
  private static final class LineRedacting extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineRedacting(PrintStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n' || b == '\r') { // a TTY progress line is redrawn after '\r'
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    private void emit() {
      target.print(redact(line.toString(StandardCharsets.UTF_8)));
      target.flush();
      line.reset();
    }

    @Override
    public synchronized void flush() {
      target.flush(); // a partial line waits for its end: a secret may be cut across two writes
    }

    @Override
    public synchronized void close() throws IOException {
      if (line.size() > 0) {
        emit();
      }
      target.flush();
    }
  }
}
