package dev.sfutriage.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The backend's structured JSON logs in both shapes: structlog lines
 * ({@code {"event": .., "level": .., "timestamp": ..}}) and Cloud Logging LogEntries
 * ({@code {"timestamp": .., "severity": .., "jsonPayload": {"event": ..}}}). The timestamp key may be
 * {@code timestamp}, {@code time}, {@code ts} or {@code @timestamp}; values ISO text or epoch
 * seconds/millis. Cloud Logging's {@code insertId} dedupes re-exported entries.
 */
public final class BackendLogParser extends JsonLineParser<Event> {
  private static final String[] TIME_KEYS = {"timestamp", "time", "ts", "@timestamp"};
  private static final Set<String> NOT_ATTRS =
      Set.of("event", "level", "timestamp", "time", "ts", "@timestamp", "seminar_id", "session_id", "user_id");

  public BackendLogParser(IngestConfig config) {
    super(config);
  }

  @Override
  public String source() {
    return Sources.BACKEND_LOGS;
  }

  @Override
  public void parseObject(String location, JsonNode line, String raw, RecordSink<Event> sink) {
    JsonNode payload = line;
    String level = Json.text(line, "level");
    String insertId = null;
    if (line.has("jsonPayload") || line.has("textPayload") || line.has("protoPayload")) {
      payload = Json.get(line, "jsonPayload");
      if (payload == null || !payload.isObject()) {
        if (Json.get(line, "textPayload") != null || Json.get(line, "protoPayload") != null) {
          sink.filtered(Filters.UNSTRUCTURED);
        } else {
          sink.deadLetter(location, "jsonPayload is not an object", rawOf(line, raw));
        }
        return;
      }
      level = Json.text(line, "severity");
      insertId = Json.text(line, "insertId");
    }
    Long time;
    try {
      time = Times.micros(Json.first(line, TIME_KEYS));
      if (time == null && payload != line) {
        time = Times.micros(Json.first(payload, TIME_KEYS));
      }
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad timestamp: " + e.getMessage(), rawOf(line, raw));
      return;
    }
    if (time == null) {
      sink.deadLetter(location, "missing timestamp (timestamp, time, ts or @timestamp)", rawOf(line, raw));
      return;
    }
    String name = Json.text(payload, "event");
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
        .attr("level", level == null ? null : level.toLowerCase(Locale.ROOT));
    text.forEach(b::attr);
    nums.forEach(b::num);
    sink.accept(b.build(), insertId == null ? null : "insertId:" + insertId);
  }
}
