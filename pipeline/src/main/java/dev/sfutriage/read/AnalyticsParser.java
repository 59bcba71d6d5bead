package dev.sfutriage.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Numbers;
import dev.sfutriage.util.Times;

/**
 * Google Analytics for Firebase export rows ({@code events_YYYYMMDD}), NDJSON or BigQuery rows.
 *
 * <p>{@code event_params} values may use any of the four value slots, INT64 arrives as text or
 * number, and exact duplicate rows exist: the whole row's content fingerprint is the dedupe key.
 */
public final class AnalyticsParser extends JsonLineParser<Event> {
  public AnalyticsParser(IngestConfig config) {
    super(config);
  }

  @Override
  public String source() {
    return Sources.ANALYTICS;
  }

  /**
   * Most rows are not about LiveKit (screen_view, user_engagement, ...). One streaming pass checks the
   * line is valid JSON and reads only event_name and event_timestamp; only relevant rows (and bad
   * ones, for their exact reason) are parsed into a tree.
   */
  @Override
  protected boolean filteredFast(byte[] line, int len, RecordSink<Event> sink) {
    if (isValidIrrelevantRow(line, len)) {
      sink.filtered(Filters.IRRELEVANT);
      return true;
    }
    return false;
  }

  private boolean isValidIrrelevantRow(byte[] line, int len) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line, 0, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      String name = null;
      boolean hasTime = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("event_name".equals(field) && v == JsonToken.VALUE_STRING) {
          name = p.getText();
        } else if ("event_timestamp".equals(field)) {
          hasTime = v == JsonToken.VALUE_NUMBER_INT
              || (v == JsonToken.VALUE_STRING && p.getTextLength() > 0 && isDigits(p.getText()));
        } else {
          p.skipChildren();
        }
      }
      return t == JsonToken.END_OBJECT && p.nextToken() == null && name != null && !name.isEmpty() && hasTime
          && !config.keeps(source(), name);
    } catch (IOException e) {
      return false; // the tree parse names the problem
    }
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void parseObject(String location, JsonNode row, String raw, RecordSink<Event> sink) {
    String name = Json.text(row, "event_name");
    if (name == null) {
      sink.deadLetter(location, "missing event_name", rawOf(row, raw));
      return;
    }
    Long device;
    try {
      device = Times.micros(Json.get(row, "event_timestamp"));
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad event_timestamp: " + e.getMessage(), rawOf(row, raw));
      return;
    }
    if (device == null) {
      sink.deadLetter(location, "missing event_timestamp", rawOf(row, raw));
      return;
    }
    if (!config.keeps(source(), name)) {
      sink.filtered(Filters.IRRELEVANT);
      return;
    }
    JsonNode params = Json.get(row, "event_params");
    if (params != null && !params.isArray()) {
      sink.deadLetter(location, "event_params is not an array", rawOf(row, raw));
      return;
    }
    Event.Builder b = Event.builder(source(), name).location(location);
    if (params != null) {
      for (JsonNode p : params) {
        readParam(p, b);
      }
    }
    b.user(Json.text(row, "user_id"))
        .platform(Json.text(row, "platform"))
        .attr("device_id", Json.text(row, "user_pseudo_id"))
        .attr("app_version", Json.text(Json.get(row, "app_info"), "version"))
        .attr("os_version", Json.text(Json.get(row, "device"), "operating_system_version"))
        .attr("device_model", Json.text(Json.get(row, "device"), "mobile_model_name"));
    ClockCorrection.apply(b, device, Json.longValue(Json.get(row, "event_server_timestamp_offset")),
        config.clockSkewToleranceMicros);
    sink.accept(b.build(), Fingerprint.of(row));
  }

  private static void readParam(JsonNode p, Event.Builder b) {
    String key = Json.text(p, "key");
    JsonNode v = Json.get(p, "value");
    if (key == null || v == null) {
      return;
    }
    String s = Json.text(v, "string_value");
    Number n = Json.number(Json.get(v, "int_value"));
    if (n == null) {
      n = Json.number(Json.get(v, "double_value"));
    }
    if (n == null) {
      n = Json.number(Json.get(v, "float_value"));
    }
    switch (key) {
      case "seminar_id":
        b.seminar(s != null ? s : n == null ? null : Numbers.text(n, "%s"));
        return;
      case "session_id":
        b.session(s != null ? s : n == null ? null : Numbers.text(n, "%s"));
        return;
      default:
        if (s != null) {
          b.attr(key, s);
        } else if (n != null) {
          b.num(key, n);
        }
    }
  }
}
