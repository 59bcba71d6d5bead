package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real exports through main: a Cloud Logging export of every service whose only backend record of a
 * failed token request is the proxy's 504 (the app never logged it) becomes a token_fetch_failed
 * incident with cause backend_error; the other services' entries are filtered by reason; INT64
 * values stay exact integers from the readers to timeline.jsonl and dead_letter.jsonl.
 */
class RealExportsEndToEndTest {
  static final String SEM = "5effcc11-2afa-4577-a278-f8d47c3ea6be";
  static final String SES = "7c0e3c52-8d1b-4f7a-9a53-2b6f0e4d1c88";
  @TempDir Path tmp;

  private static String gaRow(String name, String ts, String user, String params) {
    return "  {\n    \"event_date\": \"20261123\",\n    \"event_timestamp\": \"" + ts + "\",\n    \"event_name\": \"" + name
        + "\",\n    \"event_params\": " + params + ",\n    \"event_server_timestamp_offset\": \"412000\",\n"
        + "    \"user_id\": \"" + user + "\",\n    \"user_pseudo_id\": \"5b2f0c4e8a1d4f3b\",\n    \"platform\": \"ANDROID\",\n"
        + "    \"app_info\": {\"id\": \"com.example.seminars\", \"version\": \"3.14.0\"}\n  }";
  }

  private static String param(String key, String slot, String value) {
    return "{\"key\": \"" + key + "\", \"value\": {\"string_value\": " + (slot.equals("string_value") ? value : "null")
        + ", \"int_value\": " + (slot.equals("int_value") ? value : "null") + ", \"float_value\": null, \"double_value\": null}}";
  }

  private static List<String> sorted(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    out.sort(null);
    return out;
  }

  @Test
  void aTokenFailureOnlyTheProxyLoggedIsABackendErrorAndIntegersStayIntegers() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("analytics"));
    Files.createDirectories(in.resolve("backend"));
    Files.createDirectories(in.resolve("webhook_jobs"));
    String screen = param("firebase_screen_id", "int_value", "\"-5164663614086310235\"");
    String failed = gaRow("livekit_connect_failed", "1795426897000000", "usr_lb1", "[" + screen + ", "
        + param("seminar_id", "string_value", "\"" + SEM + "\"") + ", "
        + param("error", "string_value", "\"TimeoutException after 0:00:30.000000: Future not completed\"") + "]");
    String broken = gaRow("livekit_room_state", "1795426899000000", "usr_lb1", "{\"firebase_screen_id\": -5164663614086310235}");
    Files.writeString(in.resolve("analytics/bq-console-download.json"), "[\n" + failed + ",\n" + broken + "\n]\n");
    String cloudRun504 = "{\"httpRequest\":{\"requestMethod\":\"POST\",\"requestUrl\":\"https://api.seminars.example/sfu/token\","
        + "\"requestSize\":\"412\",\"status\":504,\"responseSize\":\"0\",\"userAgent\":\"Dart/3.5 (dart:io)\",\"latency\":\"30.001243s\","
        + "\"protocol\":\"HTTP/1.1\"},\"insertId\":\"6741a9e2000c58f1b3d2e0a7\",\"resource\":{\"type\":\"cloud_run_revision\","
        + "\"labels\":{\"service_name\":\"seminar-backend\"}},\"timestamp\":\"2026-11-23T09:41:07.113402Z\",\"severity\":\"ERROR\","
        + "\"logName\":\"projects/seminars-prod/logs/run.googleapis.com%2Frequests\"}";
    String health = "{\"httpRequest\":{\"requestMethod\":\"GET\",\"requestUrl\":\"https://api.seminars.example/health\",\"status\":200,"
        + "\"latency\":\"0.001s\"},\"insertId\":\"h1\",\"resource\":{\"type\":\"http_load_balancer\"},\"timestamp\":\"2026-11-23T09:40:00Z\"}";
    String audit = "{\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"methodName\":"
        + "\"google.cloud.run.v1.Services.ReplaceService\"},\"insertId\":\"a1\",\"timestamp\":\"2026-11-23T09:30:00Z\",\"severity\":\"NOTICE\"}";
    String issued = "{\"event\":\"livekit_token_issued\",\"level\":\"info\",\"timestamp\":\"2026-11-23T09:45:00.000Z\",\"ttl_seconds\":21600,"
        + "\"seminar_id\":\"" + SEM + "\",\"session_id\":\"" + SES + "\",\"user_id\":\"usr_other\"}";
    Files.writeString(in.resolve("backend/export.json"), String.join("\n", cloudRun504, health, audit, issued) + "\n");
    // what a folder may also hold: a log rotated away under its link, a named pipe
    Files.createSymbolicLink(in.resolve("backend/app.log.1"), in.resolve("backend/rotated-away.log"));
    assertEquals(0, new ProcessBuilder("mkfifo", in.resolve("backend/stream.fifo").toString()).start().waitFor());
    String egress = ("{\"event\":\"egress_ended\",\"egressInfo\":{\"egressId\":\"EG_1\",\"roomName\":\"seminar-" + SEM + "-" + SES
        + "\",\"status\":\"EGRESS_COMPLETE\",\"fileResults\":[{\"size\":\"423355680\",\"location\":\"s3://rec/x.mp4\"}]},"
        + "\"createdAt\":\"1795428000\"}").replace("\"", "\"\"");
    Files.writeString(in.resolve("webhook_jobs/jobs.csv"), "id,payload,status,attempt,last_error,next_run_at,created_at,updated_at\n"
        + "0b8f2a1e-7c3d-4e5f-9a6b-1c2d3e4f5a6b,\"" + egress + "\",done,1,,,2026-11-23 10:00:00+00,2026-11-23 10:00:01+00\n");

    Runs.Result r = Runs.run(tmp.resolve("out"), "--inputDir=" + in, "--seminarId=" + SEM,
        "--from=2026-11-23T09:00:00Z", "--to=2026-11-23T11:00:00Z");
    assertEquals(0, r.exit, r.err);

    List<JsonNode> incidents = r.jsonl("incidents.jsonl");
    assertEquals(1, incidents.size(), incidents.toString());
    JsonNode incident = incidents.get(0);
    assertEquals("token_fetch_failed/backend_error/usr_lb1", Runs.text(incident, "symptom") + "/"
        + Runs.text(incident, "cause") + "/" + Runs.text(incident, "user_id"));
    assertTrue(Runs.text(incident, "summary").contains("backend error 504"), incident.toString());
    assertTrue(incident.get("evidence").toString().contains("status_code=504 duration_ms=30001.243"), incident.toString());
    // incidents.jsonl is also what the BigQuery incidents table is written from (BigQueryIncidents.row)
    assertTrue(!Files.readString(r.dir.resolve("incidents.jsonl")).contains("E+"));

    JsonNode backend = r.summary().path("sources").path("backend_logs");
    assertEquals(1, backend.path("filtered_by_reason").path("request_log_not_relevant").asLong(), backend.toString());
    assertEquals(1, backend.path("filtered_by_reason").path("audit_log").asLong(), backend.toString());
    // the link and the pipe are counted, each with its reason, and the accounting balances
    assertEquals(2, backend.path("dead_lettered").asLong(), backend.toString());
    assertEquals(List.of("unreadable input (dangling symbolic link)", "unreadable input (not a regular file)"),
        sorted(backend.path("dead_lettered_by_reason").fieldNames()));
    List<String> reasons = r.jsonl("dead_letter.jsonl").stream().map(d -> Runs.text(d, "location") + ": " + Runs.text(d, "reason"))
        .filter(x -> x.contains("unreadable input")).sorted().toList();
    assertEquals(List.of(in.resolve("backend/app.log.1") + ": unreadable input (dangling symbolic link): its target "
        + in.resolve("backend/rotated-away.log") + " does not exist", in.resolve("backend/stream.fifo")
        + ": unreadable input (not a regular file): a FIFO, socket or device, not opened"), reasons);
    assertTrue(r.summary().path("accounting_balanced").asBoolean(), r.summary().toString());

    // integers as integers, every digit, in the timeline's attributes
    String timeline = Files.readString(r.dir.resolve("timeline.jsonl"), StandardCharsets.UTF_8);
    assertTrue(timeline.contains("\"firebase_screen_id\":-5164663614086310235"), timeline);
    assertTrue(timeline.contains("\"ttl_seconds\":21600,") || timeline.contains("\"ttl_seconds\":21600}"), timeline);
    assertTrue(timeline.contains("\"file_size\":423355680"), timeline);
    assertTrue(!timeline.contains("E+"), timeline);
    for (JsonNode line : r.jsonl("timeline.jsonl")) {
      line.path("attributes").fields().forEachRemaining(a -> {
        if (a.getValue().isNumber() && List.of("firebase_screen_id", "ttl_seconds", "file_size", "status_code").contains(a.getKey())) {
          assertTrue(a.getValue().isIntegralNumber(), a.getKey() + " is not an integer: " + line);
        }
      });
    }
    // the dead letter's raw is the record as it was in the file, digits and layout included
    List<JsonNode> dead = r.jsonl("dead_letter.jsonl").stream().filter(d -> Runs.text(d, "source").equals("analytics")).toList();
    assertEquals(1, dead.size(), dead.toString());
    assertEquals("event_params is not an array", Runs.text(dead.get(0), "reason"));
    assertTrue(Runs.text(dead.get(0), "location").endsWith("bq-console-download.json:13"), dead.toString());
    assertTrue(Runs.text(dead.get(0), "raw").contains("\"event_params\": {\"firebase_screen_id\": -5164663614086310235}"),
        dead.toString());
  }
}
