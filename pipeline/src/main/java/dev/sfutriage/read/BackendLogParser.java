package dev.sfutriage.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The backend's structured JSON logs in both shapes: structlog lines
 * ({@code {"event": .., "level": .., "timestamp": ..}}) and Cloud Logging LogEntries
 * ({@code {"timestamp": .., "severity": .., "jsonPayload": {"event": ..}}}). The timestamp key may be
 * {@code timestamp}, {@code time}, {@code ts} or {@code @timestamp}; values ISO text, epoch
 * seconds/millis or a protobuf {@code {seconds, nanos}}. Cloud Logging's {@code insertId} dedupes
 * re-exported entries.
 *
 * <p>A Cloud Logging export holds every service's entries. A request log (load balancer, Cloud Run:
 * {@code httpRequest} and no app event) is an {@code http_request} event like the app's own access
 * log ({@link #requestLog}); platform text lines, audit logs and other services' entries are valid
 * records the rules do not read, filtered with a reason ({@link Filters}).
 */
public final class BackendLogParser extends JsonLineParser<Event> {
  private static final String[] TIME_KEYS = {"timestamp", "time", "ts", "@timestamp"};
  private static final Set<String> NOT_ATTRS =
      Set.of("event", "level", "timestamp", "time", "ts", "@timestamp", "seminar_id", "session_id", "user_id");
  /** Keys only a Cloud Logging LogEntry has. */
  private static final String[] LOG_ENTRY_KEYS = {"jsonPayload", "textPayload", "protoPayload", "httpRequest", "logName"};
  /** The seminar in a URL path: {@code /studio/seminars/{id}}, {@code /studio/seminars/{id}/sessions/start}. */
  private static final Pattern SEMINAR_PATH = Pattern.compile("/seminars/([^/]+)");

  public BackendLogParser(IngestConfig config) {
    super(config);
  }

  @Override
  public String source() {
    return Sources.BACKEND_LOGS;
  }

  @Override
  public void parseObject(String location, JsonNode line, String raw, RecordSink<Event> sink) {
    boolean logEntry = Json.first(line, LOG_ENTRY_KEYS) != null;
    JsonNode payload = logEntry ? Json.get(line, "jsonPayload") : line;
    String level = Json.text(line, logEntry ? "severity" : "level");
    Long time;
    try {
      time = Times.micros(Json.first(line, TIME_KEYS));
      if (time == null && payload != null && payload != line) {
        time = Times.micros(Json.first(payload, TIME_KEYS));
      }
      if (time == null && logEntry) {
        time = Times.micros(Json.get(line, "receiveTimestamp"));
      }
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad timestamp: " + e.getMessage(), rawOf(line, raw));
      return;
    }
    if (time == null) {
      sink.deadLetter(location, "missing timestamp (timestamp, time, ts or @timestamp)", rawOf(line, raw));
      return;
    }
    String insertId = logEntry ? Json.text(line, "insertId") : null;
    String dedupeKey = insertId == null ? null : "insertId:" + insertId;
    String name = payload != null && payload.isObject() ? Json.text(payload, "event") : null;
    if (logEntry && name == null) {
      otherEntry(location, line, payload, level, time, dedupeKey, raw, sink);
      return;
    }
    if (name == null) {
      sink.deadLetter(location, "missing event name", rawOf(line, raw));
      return;
    }
    String path = Json.text(payload, "path");
    boolean keep = "http_request".equals(name) ? config.keepsHttpPath(path) : config.keeps(source(), name);
    if (!keep) {
      sink.filtered(Filters.IRRELEVANT);
      return;
    }
    Map<String, String> text = new HashMap<>();
    Map<String, Number> nums = new HashMap<>();
    Json.flattenScalars(payload, text, nums, NOT_ATTRS);
    Event.Builder b = Event.builder(source(), name).location(location).time(time)
        .seminar(Json.text(payload, "seminar_id"))
        .session(Json.text(payload, "session_id"))
        .user(Json.text(payload, "user_id"))
        .attr("level", lower(level));
    text.forEach(b::attr);
    nums.forEach(b::num);
    sink.accept(b.build(), dedupeKey);
  }

  /** A LogEntry without an app event: a request log, or another service's entry (filtered). */
  private void otherEntry(String location, JsonNode entry, @Nullable JsonNode payload, @Nullable String level,
      long time, @Nullable String dedupeKey, String raw, RecordSink<Event> sink) {
    JsonNode http = Json.get(entry, "httpRequest");
    if (http != null && http.isObject()) {
      requestLog(location, entry, http, payload, level, time, dedupeKey, raw, sink);
    } else if (payload != null && !payload.isObject()) {
      sink.deadLetter(location, "jsonPayload is not an object", rawOf(entry, raw));
    } else if (Json.get(entry, "textPayload") != null) {
      sink.filtered(Filters.UNSTRUCTURED);
    } else if (String.valueOf(Json.text(Json.get(entry, "protoPayload"), "@type")).endsWith(".AuditLog")) {
      sink.filtered(Filters.AUDIT_LOG);
    } else {
      sink.filtered(Filters.OTHER_SERVICE_LOG);
    }
  }

  /**
   * A load balancer's or Cloud Run's request log as the {@code http_request} event the rules read:
   * {@code requestMethod} → method, the path of {@code requestUrl} → path, {@code status} →
   * status_code, {@code latency} ({@code "0.123s"} or {@code {seconds, nanos}}) → duration_ms. The
   * seminar, session and user come from the URL (a {@code /seminars/{id}} path, query parameters
   * {@code seminar_id}, {@code session_id}, {@code user_id}) or the entry's {@code labels}, where the
   * record carries them. A request log that names none of them is kept only when it failed on the
   * server's side (status 5xx: a proxy's 502/504 names no user, and is evidence for every user whose
   * token request failed at that time); a success or a 4xx of no one is filtered.
   */
  private void requestLog(String location, JsonNode entry, JsonNode http, @Nullable JsonNode payload,
      @Nullable String level, long time, @Nullable String dedupeKey, String raw, RecordSink<Event> sink) {
    String url = Json.text(http, "requestUrl");
    URI uri = null;
    if (url != null) {
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        sink.deadLetter(location, "httpRequest.requestUrl is not a URL: " + Times.abbreviate(url), rawOf(entry, raw));
        return;
      }
    }
    String path = uri == null ? null : uri.getRawPath();
    if (!config.keepsHttpPath(path)) {
      sink.filtered(Filters.REQUEST_LOG_NOT_RELEVANT);
      return;
    }
    Number status = Json.number(Json.get(http, "status"));
    Number duration;
    try {
      duration = latencyMillis(Json.get(http, "latency"));
    } catch (IllegalArgumentException | ArithmeticException e) {
      sink.deadLetter(location, "bad httpRequest.latency: " + e.getMessage(), rawOf(entry, raw));
      return;
    }
    Map<String, String> query = query(uri.getRawQuery());
    JsonNode labels = Json.get(entry, "labels");
    Matcher seminarInPath = SEMINAR_PATH.matcher(path);
    String seminar = firstOf(query.get("seminar_id"), query.get("seminarId"), Json.text(labels, "seminar_id"),
        seminarInPath.find() ? decode(seminarInPath.group(1)) : null);
    String session = firstOf(query.get("session_id"), query.get("sessionId"), Json.text(labels, "session_id"));
    String user = firstOf(query.get("user_id"), query.get("userId"), Json.text(labels, "user_id"));
    if (seminar == null && session == null && user == null && (status == null || status.doubleValue() < 500)) {
      // Joined to no one, and not a server failure that is evidence for everyone in its span.
      sink.filtered(Filters.REQUEST_LOG_UNATTRIBUTED);
      return;
    }
    Event.Builder b = Event.builder(source(), "http_request").location(location).time(time)
        .seminar(seminar)
        .session(session)
        .user(user)
        .attr("method", Json.text(http, "requestMethod"))
        .attr("path", path)
        .attr("level", lower(level))
        .attr("log_kind", "request_log")
        .attr("resource_type", Json.text(Json.get(entry, "resource"), "type"))
        .attr("status_details", Json.text(payload, "statusDetails"))
        .num("status_code", status)
        .num("duration_ms", duration);
    sink.accept(b.build(), dedupeKey);
  }

  /** A protobuf Duration as JSON ({@code "0.123s"}) or as {@code {seconds, nanos}}, in milliseconds. */
  static @Nullable Number latencyMillis(@Nullable JsonNode latency) {
    if (latency == null) {
      return null;
    }
    BigDecimal seconds;
    if (latency.isObject()) {
      Number s = Json.number(latency.get("seconds"));
      Number n = latency.has("nanos") ? Json.number(latency.get("nanos")) : Long.valueOf(0);
      if (!(s instanceof Long) || !(n instanceof Long)) {
        throw new IllegalArgumentException("not {seconds, nanos}: " + Times.abbreviate(latency.toString()));
      }
      seconds = BigDecimal.valueOf(s.longValue()).add(BigDecimal.valueOf(n.longValue(), 9));
    } else {
      String t = latency.asText().trim();
      try {
        seconds = new BigDecimal(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a duration like \"0.123s\": '" + Times.abbreviate(t) + "'");
      }
    }
    BigDecimal ms = seconds.movePointRight(3).stripTrailingZeros();
    return ms.scale() <= 0 ? (Number) ms.longValueExact() : (Number) ms.doubleValue();
  }

  private static Map<String, String> query(@Nullable String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static @Nullable String firstOf(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
