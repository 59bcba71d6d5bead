package dev.sfutriage.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rows of {@code app.livekit_webhook_jobs}: from a psql CSV export here, from JdbcIO in production
 * (both hand the same column map to {@link #parseRow}).
 *
 * <p>The payload is LiveKit's ProtoJSON {@code WebhookEvent} (camelCase keys, int64 as text, zero
 * enums omitted: an egress event without {@code status} is {@code EGRESS_STARTING}). The event is
 * named after the webhook ({@code egress_ended}, ...) and timed by the payload's {@code createdAt}
 * (unix seconds), else the row's {@code created_at}. Seminar and session come from
 * {@code room.metadata}, else from the room name pattern.
 */
public final class WebhookJobParser extends CsvParser<Event> {
  private final IngestConfig config;

  public WebhookJobParser(IngestConfig config) {
    this.config = config;
  }

  @Override
  public String source() {
    return Sources.WEBHOOK_JOBS;
  }

  @Override
  protected List<String> requiredColumns() {
    return List.of("id", "payload", "status");
  }

  @Override
  protected void parseRecord(String location, Map<String, String> row, String raw, RecordSink<Event> sink) {
    parseRow(location, row, raw, sink);
  }

  /** One job row; column names lower-case, empty values absent. */
  public void parseRow(String location, Map<String, String> row, String raw, RecordSink<Event> sink) {
    String jobId = row.get("id");
    if (jobId == null) {
      sink.deadLetter(location, "missing job id", raw);
      return;
    }
    String payloadText = row.get("payload");
    if (payloadText == null) {
      sink.deadLetter(location, "missing payload", raw);
      return;
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(payloadText);
    } catch (JsonProcessingException e) {
      sink.deadLetter(location, "payload is not valid JSON: " + Json.describeParseError(e), raw);
      return;
    }
    if (payload == null || !payload.isObject()) {
      sink.deadLetter(location, "payload is not a JSON object", raw);
      return;
    }
    String name = Json.text(payload, "event");
    if (name == null) {
      sink.deadLetter(location, "payload has no event", raw);
      return;
    }
    Long time;
    try {
      time = Times.micros(Json.get(payload, "createdAt"));
      if (time == null) {
        time = Times.micros(row.get("created_at"));
      }
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad createdAt/created_at: " + e.getMessage(), raw);
      return;
    }
    if (time == null) {
      sink.deadLetter(location, "missing createdAt and created_at", raw);
      return;
    }
    if (!config.keeps(source(), name)) {
      sink.filtered(Filters.IRRELEVANT);
      return;
    }
    Event.Builder b = Event.builder(source(), name).location(location).time(time)
        .attr("job_id", jobId)
        .attr("job_status", row.get("status"))
        .attr("last_error", row.get("last_error"))
        .attr("webhook_id", Json.text(payload, "id"))
        .num("attempt", number(row.get("attempt")));
    copyTime(row, "next_run_at", b);
    copyTime(row, "updated_at", b);
    JsonNode room = Json.get(payload, "room");
    JsonNode egress = Json.get(payload, "egressInfo");
    String roomName = Json.text(room, "name");
    if (roomName == null) {
      roomName = Json.text(egress, "roomName");
    }
    b.attr("room", roomName).attr("room_sid", Json.text(room, "sid"));
    attribute(b, Json.get(room, "metadata"), roomName);
    JsonNode participant = Json.get(payload, "participant");
    if (participant != null) {
      b.user(Json.text(participant, "identity"))
          .attr("participant_sid", Json.text(participant, "sid"))
          .attr("disconnect_reason", Json.text(participant, "disconnectReason"));
    }
    if (egress != null) {
      String status = Json.text(egress, "status");
      b.attr("egress_id", Json.text(egress, "egressId"))
          .attr("egress_status", status == null ? "EGRESS_STARTING" : status)
          .attr("egress_error", Json.text(egress, "error"))
          .attr("egress_details", Json.text(egress, "details"))
          .num("egress_error_code", Json.number(Json.get(egress, "errorCode")));
      JsonNode files = Json.get(egress, "fileResults");
      if (files != null && files.isArray() && files.size() > 0) {
        b.num("file_size", Json.number(Json.get(files.get(0), "size")))
            .attr("file_location", Json.text(files.get(0), "location"));
      }
    }
    sink.accept(b.build(), "job:" + jobId);
  }

  private void attribute(Event.Builder b, JsonNode metadata, String roomName) {
    JsonNode meta = metadata;
    if (meta != null && meta.isTextual()) {
      try {
        meta = Json.MAPPER.readTree(meta.asText());
      } catch (JsonProcessingException e) {
        meta = null; // free-text metadata: fall back to the room name
      }
    }
    if (meta != null && meta.isObject() && Json.text(meta, "seminar_id") != null) {
      b.seminar(Json.text(meta, "seminar_id")).session(Json.text(meta, "session_id"));
      return;
    }
    if (roomName != null) {
      Matcher m = config.roomPattern().matcher(roomName);
      if (m.matches()) {
        b.seminar(m.group("seminar")).session(m.group("session"));
        b.attr("attributed_by", "room_name");
      }
    }
  }

  private static void copyTime(Map<String, String> row, String col, Event.Builder b) {
    try {
      Long t = Times.micros(row.get(col));
      if (t != null) {
        b.attr(col, Times.iso(t));
      }
    } catch (IllegalArgumentException e) {
      b.attr(col, row.get(col));
    }
  }

  private static @Nullable Number number(@Nullable String s) {
    return s == null ? null : Json.number(TextNode.valueOf(s));
  }
}
