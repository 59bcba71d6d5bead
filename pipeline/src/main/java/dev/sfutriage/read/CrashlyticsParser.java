package dev.sfutriage.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Firebase Crashlytics export rows ({@code firebase_crashlytics.<app>_ANDROID/_IOS}[_REALTIME]).
 *
 * <p>Accepts the real column names and the documented ones ({@code crashlytics_sdk_version(s)},
 * {@code errors}/{@code error}). A Flutter {@code recordError(..., reason: r)} becomes an event
 * named {@code r} (e.g. {@code livekit_connect_with_token_failed}); other crashes are {@code crash}.
 * Rows without a {@code seminar_id} custom key take it from their latest breadcrumb that has one.
 * Dedupe on {@code event_id}, the table's primary key: the batch table and its {@code _REALTIME}
 * twin exported together hold the same event twice, and it counts once (as the docs' {@code UNION
 * ALL ... COUNT(DISTINCT event_id)} does).
 */
public final class CrashlyticsParser extends JsonLineParser<Event> {
  private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public CrashlyticsParser(IngestConfig config) {
    super(config);
  }

  @Override
  public String source() {
    return Sources.CRASHLYTICS;
  }

  @Override
  public void parseObject(String location, JsonNode row, String raw, RecordSink<Event> sink) {
    Long device;
    Long received;
    try {
      device = Times.micros(Json.get(row, "event_timestamp"));
      received = Times.micros(Json.get(row, "received_timestamp"));
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad timestamp: " + e.getMessage(), rawOf(row, raw));
      return;
    }
    if (device == null) {
      sink.deadLetter(location, "missing event_timestamp", rawOf(row, raw));
      return;
    }
    Map<String, String> keys = customKeys(Json.get(row, "custom_keys"));
    String reason = keys.get("flutter_error_reason");
    if (reason != null && reason.startsWith("thrown ")) {
      reason = reason.substring("thrown ".length());
    }
    String name = reason != null && EVENT_NAME.matcher(reason).matches() ? reason : "crash";
    if (!config.keeps(source(), name)) {
      sink.filtered(Filters.IRRELEVANT);
      return;
    }
    Event.Builder b = Event.builder(source(), name).location(location);
    keys.forEach((k, v) -> {
      if (!k.equals("seminar_id") && !k.equals("session_id")) {
        b.attr(k, v);
      }
    });
    b.seminar(keys.get("seminar_id")).session(keys.get("session_id"));
    if (b.seminarId() == null) {
      fromBreadcrumbs(Json.get(row, "breadcrumbs"), b);
    }
    JsonNode user = Json.get(row, "user");
    b.user(user != null && user.isObject() ? Json.text(user, "id") : null)
        .platform(Json.text(row, "platform"))
        .attr("reason", reason)
        .attr("crash_event_id", Json.text(row, "event_id"))
        .attr("error_type", errorType(row))
        .attr("issue_id", Json.text(row, "issue_id"))
        .attr("issue_title", Json.text(row, "issue_title"))
        .attr("issue_subtitle", Json.text(row, "issue_subtitle"))
        .attr("device_id", Json.text(row, "installation_uuid"))
        .attr("app_version", Json.text(Json.get(row, "application"), "display_version"))
        .attr("os_version", Json.text(Json.get(row, "operating_system"), "display_version"))
        .attr("device_model", Json.text(Json.get(row, "device"), "model"))
        .attr("sdk_version", Json.scalarText(Json.first(row, "crashlytics_sdk_version", "crashlytics_sdk_versions")));
    readError(row, keys, b);
    ClockCorrection.apply(b, device, received == null ? null : received - device, config.clockSkewToleranceMicros);
    sink.accept(b.build(), Json.text(row, "event_id"));
  }

  private static Map<String, String> customKeys(JsonNode arr) {
    Map<String, String> out = new HashMap<>();
    if (arr != null && arr.isArray()) {
      for (JsonNode kv : arr) {
        String k = Json.text(kv, "key");
        String v = Json.text(kv, "value");
        if (k != null && v != null) {
          out.put(k, v);
        }
      }
    }
    return out;
  }

  private static void fromBreadcrumbs(JsonNode crumbs, Event.Builder b) {
    if (crumbs == null || !crumbs.isArray()) {
      return;
    }
    for (int i = crumbs.size() - 1; i >= 0; i--) {
      Map<String, String> params = customKeys(Json.get(crumbs.get(i), "params"));
      if (params.containsKey("seminar_id")) {
        b.seminar(params.get("seminar_id"));
        b.session(params.get("session_id"));
        b.attr("attributed_by", "breadcrumbs");
        return;
      }
    }
  }

  private static String errorType(JsonNode row) {
    String t = Json.text(row, "error_type");
    if (t != null) {
      return t;
    }
    JsonNode fatal = Json.get(row, "is_fatal");
    return fatal == null ? null : fatal.asBoolean() ? "FATAL" : "NON_FATAL";
  }

  /**
   * The error text: Flutter's own key first, then the Android exception ({@code exceptions[0]}),
   * then the Apple NSError ({@code errors[0]}: real tables say {@code errors}, the docs {@code error};
   * its {@code title} is the error domain, {@code code} the NSError code). The blamed frame names
   * where it happened.
   */
  private static void readError(JsonNode row, Map<String, String> keys, Event.Builder b) {
    JsonNode ex = Json.get(row, "exceptions");
    JsonNode first = ex != null && ex.isArray() && ex.size() > 0 ? ex.get(0) : null;
    if (first != null) {
      b.attr("exception_type", Json.text(first, "type"));
    }
    String error = keys.get("flutter_error_exception");
    if (error == null && first != null) {
      error = Json.text(first, "exception_message");
    }
    JsonNode errs = Json.first(row, "errors", "error");
    JsonNode nsError = errs != null && errs.isArray() && errs.size() > 0 ? errs.get(0) : null;
    if (nsError != null) {
      b.num("error_code", Json.number(Json.get(nsError, "code")))
          .attr("error_subtitle", Json.text(nsError, "subtitle"));
      if (error == null) {
        error = Json.text(nsError, "title");
      }
    }
    b.attr("error", error);
    JsonNode blame = Json.get(row, "blame_frame");
    if (blame != null && blame.isObject()) {
      String file = Json.text(blame, "file");
      String line = Json.text(blame, "line");
      b.attr("blame_symbol", Json.text(blame, "symbol"))
          .attr("blame_file", file == null ? null : line == null ? file : file + ":" + line);
    }
  }
}
