package dev.sfutriage.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
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
    Double n = Json.number(Json.get(v, "int_value"));
    if (n == null) {
      n = Json.number(Json.get(v, "double_value"));
    }
    if (n == null) {
      n = Json.number(Json.get(v, "float_value"));
    }
    switch (key) {
      case "seminar_id":
        b.seminar(s != null ? s : n == null ? null : Json.numberText(n, n.toString()));
        return;
      case "session_id":
        b.session(s != null ? s : n == null ? null : Json.numberText(n, n.toString()));
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
