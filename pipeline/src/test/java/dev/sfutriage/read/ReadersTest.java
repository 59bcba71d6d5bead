package dev.sfutriage.read;

import static dev.sfutriage.read.ReaderHarness.assertAccount;
import static dev.sfutriage.read.ReaderHarness.assertDeadReasons;
import static dev.sfutriage.read.ReaderHarness.config;
import static dev.sfutriage.read.ReaderHarness.readEvents;
import static dev.sfutriage.read.ReaderHarness.write;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Ticket;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reader on good and bad records, through the real Beam transform (TestPipeline + PAssert). */
class ReadersTest {
  private static final String SEM = "3f2b8c1e-6a0d-4c55-9e1f-0b7d2a4c9e61";
  private static final String SES = "9a1c7e20-2b44-4f6e-8d3a-5c0e1f2b3a4d";
  @TempDir Path dir;

  /** name|seminar|session|user|platform|time|corrected|selected attributes. */
  private static PCollection<String> describe(PCollection<Event> events, String... keys) {
    return events.apply("Describe", MapElements.into(TypeDescriptors.strings()).via((Event e) -> {
      StringBuilder sb = new StringBuilder(e.name + "|" + e.seminarId + "|" + e.sessionId + "|" + e.userId + "|"
          + e.platform + "|" + e.deviceTimeMicros + "|" + e.timeMicros);
      for (String k : keys) {
        Object v = e.attrs.containsKey(k) ? e.attrs.get(k) : e.nums.get(k);
        sb.append('|').append(k).append('=').append(v);
      }
      return sb.toString();
    }));
  }

  private static String gaRow(String ts, String name, String params, String extra) {
    return "{\"event_date\":\"20261123\",\"event_timestamp\":" + ts + ",\"event_name\":\"" + name + "\",\"event_params\":["
        + params + "],\"user_id\":\"usr_1\",\"user_pseudo_id\":\"abc\",\"platform\":\"ANDROID\",\"app_info\":{\"version\":\"3.14.0\"}"
        + extra + "}";
  }

  private static String param(String key, String slot, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"" + slot + "\":" + value + "}}";
  }

  @Test
  void analyticsReadsBothInt64FormsDedupesAndCorrectsAClockThatRunsAhead() throws Exception {
    String p1 = param("seminar_id", "string_value", "\"" + SEM + "\"") + "," + param("state", "string_value", "\"connecting\"")
        + "," + param("participant_count", "int_value", "\"3\"");
    String row = gaRow("\"1795456931412000\"", "livekit_room_state", p1, ",\"event_server_timestamp_offset\":\"1500000\"");
    // Same row with INT64 as numbers and a null present: the same event, a duplicate.
    String sameAsNumbers = gaRow("1795456931412000", "livekit_room_state", p1,
        ",\"event_server_timestamp_offset\":1500000,\"user_ltv\":null");
    // A device 3 h ahead: server receipt 3 h before the device time.
    String ahead = gaRow("\"1795467731412000\"", "livekit_connect_failed", param("seminar_id", "string_value", "\"" + SEM + "\"")
        + "," + param("status_code", "int_value", "503"), ",\"event_server_timestamp_offset\":\"-10800000000\"");
    String noise = gaRow("\"1795456931412000\"", "screen_view", "", "");
    Path a = write(dir, "events_20261123-000000000000.json", row + "\n" + noise + "\n\n" + ahead + "\r\n"
        + "{\"event_name\":\"livekit_room_state\",\"event_params\":[]}\n" + "{\"event_date\":\"2026112\n" + "[1,2]\n");
    Path b = write(dir, "events_20261123-000000000001.json.gz", sameAsNumbers + "\n");

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(a, b), new AnalyticsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "state", "participant_count", "status_code", "clock_skew_seconds", "app_version"))
        .containsInAnyOrder(
            "livekit_room_state|" + SEM + "|null|usr_1|ANDROID|1795456931412000|1795456931412000|state=connecting|participant_count=3|status_code=null|clock_skew_seconds=0.0|app_version=3.14.0",
            "livekit_connect_failed|" + SEM + "|null|usr_1|ANDROID|1795467731412000|1795456931412000|state=null|participant_count=null|status_code=503|clock_skew_seconds=10800.0|app_version=3.14.0");
    assertDeadReasons(parsed, "missing event_timestamp", "truncated JSON at column 23", "expected a JSON object, got a JSON array");
    assertAccount(parsed, "analytics", 7, 3, 1, 1, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void crashlyticsAcceptsBothColumnSpellingsBreadcrumbAttributionAndDedupesOnEventId() throws Exception {
    String flutter = "{\"platform\":\"ANDROID\",\"event_id\":\"e1\",\"error_type\":\"NON_FATAL\","
        + "\"event_timestamp\":\"2026-11-23 18:02:11.412000 UTC\",\"received_timestamp\":\"2026-11-23 18:02:20.000000 UTC\","
        + "\"user\":{\"id\":\"usr_1\"},\"custom_keys\":[{\"key\":\"tag\",\"value\":\"livekit\"},"
        + "{\"key\":\"flutter_error_reason\",\"value\":\"thrown livekit_connect_with_token_failed\"},"
        + "{\"key\":\"flutter_error_exception\",\"value\":\"ClientException with SocketException: Failed host lookup: 'lk.exmaple.com'\"}],"
        + "\"crashlytics_sdk_version\":\"18.6.2\",\"application\":{\"display_version\":\"3.14.0\"},"
        + "\"breadcrumbs\":[{\"timestamp\":\"2026-11-23 18:02:00.000000 UTC\",\"name\":\"livekit_token_fetched\",\"params\":[{\"key\":\"seminar_id\",\"value\":\"" + SEM + "\"}]}],"
        + "\"exceptions\":[{\"type\":\"io.flutter.plugins.firebase.crashlytics.FlutterError\",\"exception_message\":\"x. Error thrown livekit_connect_with_token_failed.\"}]}";
    // iOS row with the documented spellings and a device 3 h ahead.
    String ios = "{\"platform\":\"IOS\",\"event_id\":\"e2\",\"is_fatal\":true,\"event_timestamp\":\"2026-11-23T21:02:11.412Z\","
        + "\"received_timestamp\":1795456940000000,\"user\":{\"id\":\"usr_2\"},\"custom_keys\":[{\"key\":\"seminar_id\",\"value\":\"" + SEM + "\"}],"
        + "\"crashlytics_sdk_versions\":\"10.8.0\",\"error\":[{\"title\":\"NSURLErrorDomain\"}]}";
    Path f = write(dir, "app_ANDROID.json", flutter + "\n" + flutter + "\n" + ios + "\n{\"event_id\":\"e3\"}\n");

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(f), new CrashlyticsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "error", "error_type", "attributed_by", "sdk_version", "clock_skew_seconds"))
        .containsInAnyOrder(
            "livekit_connect_with_token_failed|" + SEM + "|null|usr_1|ANDROID|1795456931412000|1795456931412000"
                + "|error=ClientException with SocketException: Failed host lookup: 'lk.exmaple.com'|error_type=NON_FATAL"
                + "|attributed_by=breadcrumbs|sdk_version=18.6.2|clock_skew_seconds=0.0",
            "crash|" + SEM + "|null|usr_2|IOS|1795467731412000|1795456940000000|error=NSURLErrorDomain|error_type=FATAL"
                + "|attributed_by=null|sdk_version=10.8.0|clock_skew_seconds=10791.412");
    assertDeadReasons(parsed, "missing event_timestamp");
    assertAccount(parsed, "crashlytics", 4, 1, 1, 0, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void backendLogsReadStructlogAndCloudLoggingWithEveryTimestampKey() throws Exception {
    String structlog = "{\"event\":\"livekit_connect_failed\",\"level\":\"error\",\"timestamp\":\"2026-11-23T18:02:11.412Z\","
        + "\"status_code\":503,\"error\":\"LiveKit configuration missing\",\"seminar_id\":\"" + SEM + "\",\"user_id\":\"usr_1\"}";
    String epochSeconds = "{\"event\":\"session_started\",\"ts\":1795456931.412,\"seminar_id\":\"" + SEM + "\",\"session_id\":\"" + SES + "\"}";
    String epochMillis = "{\"event\":\"http_request\",\"@timestamp\":1795456931412,\"path\":\"/sfu/token\",\"status_code\":200}";
    String cloud = "{\"timestamp\":\"2026-11-23T18:02:11.412Z\",\"severity\":\"WARNING\",\"insertId\":\"i1\","
        + "\"jsonPayload\":{\"event\":\"livekit_webhook_retry\",\"job_id\":\"j1\",\"attempt\":2},\"resource\":{\"type\":\"k8s_container\"}}";
    String text = "{\"timestamp\":\"2026-11-23T18:02:11.412Z\",\"textPayload\":\"GET /health 200\",\"insertId\":\"i2\"}";
    String health = "{\"event\":\"http_request\",\"time\":\"2026-11-23T18:02:11.412Z\",\"path\":\"/health\",\"status_code\":200}";
    Path f = write(dir, "app.jsonl", structlog + "\n" + epochSeconds + "\n" + epochMillis + "\n" + health + "\n"
        + "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\n"
        + "{\"event\":\"livekit_room_created\",\"seminar_id\":\"x\"}\n");
    Path g = write(dir, "cloud.json.gz", cloud + "\n" + cloud + "\n" + text + "\n");

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(f, g), new BackendLogParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "status_code", "error", "level", "job_id", "path"))
        .containsInAnyOrder(
            "livekit_connect_failed|" + SEM + "|null|usr_1|null|1795456931412000|1795456931412000|status_code=503|error=LiveKit configuration missing|level=error|job_id=null|path=null",
            "session_started|" + SEM + "|" + SES + "|null|null|1795456931412000|1795456931412000|status_code=null|error=null|level=null|job_id=null|path=null",
            "http_request|null|null|null|null|1795456931412000|1795456931412000|status_code=200|error=null|level=null|job_id=null|path=/sfu/token",
            "livekit_webhook_retry|null|null|null|null|1795456931412000|1795456931412000|status_code=null|error=null|level=warning|job_id=j1|path=null");
    assertDeadReasons(parsed, "invalid JSON at column 6: Unrecognized token 'INFO': was expecting",
        "missing timestamp (timestamp, time, ts or @timestamp)");
    assertAccount(parsed, "backend_logs", 9, 2, 1, 2, 4);
    p.run().waitUntilFinish();
  }

  @Test
  void webhookJobsTakeSeminarFromMetadataOrRoomNameAndRejectBadPayloads() throws Exception {
    String meta = "{\\\"seminar_id\\\":\\\"" + SEM + "\\\",\\\"session_id\\\":\\\"" + SES + "\\\"}";
    String egress = "{\"event\":\"egress_ended\",\"id\":\"EV_1\",\"createdAt\":\"1795456931\",\"egressInfo\":{\"egressId\":\"EG_1\","
        + "\"roomName\":\"seminar-" + SEM + "-" + SES + "\",\"status\":\"EGRESS_FAILED\",\"error\":\"S3 upload failed\"}}";
    String joined = "{\"event\":\"participant_joined\",\"createdAt\":1795456931,\"room\":{\"sid\":\"RM_1\",\"name\":\"r\",\"metadata\":\"" + meta
        + "\"},\"participant\":{\"identity\":\"usr_1\",\"sid\":\"PA_1\"}}";
    String csv = "id,payload,status,attempt,last_error,next_run_at,created_at,updated_at\n"
        + "11111111-1111-1111-1111-111111111111,\"" + egress.replace("\"", "\"\"") + "\",failed,5,boom,,2026-11-23 18:02:11.412+00,2026-11-23 18:02:11.412+00\n"
        + "22222222-2222-2222-2222-222222222222,\"" + joined.replace("\"", "\"\"") + "\",done,1,,,2026-11-23 18:02:11+00,2026-11-23 18:02:11+00\n"
        + "33333333-3333-3333-3333-333333333333,\"{\"\"event\"\":\"\"room_started\"\",\",done,1,,,,\n"
        + "44444444-4444-4444-4444-444444444444,\"{}\",done,1,,,,\n";
    Path f = write(dir, "jobs.csv", csv);

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(f), new WebhookJobParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "job_status", "attempt", "egress_status", "egress_error", "attributed_by"))
        .containsInAnyOrder(
            "egress_ended|" + SEM + "|" + SES + "|null|null|1795456931000000|1795456931000000|job_status=failed|attempt=5|egress_status=EGRESS_FAILED|egress_error=S3 upload failed|attributed_by=room_name",
            "participant_joined|" + SEM + "|" + SES + "|usr_1|null|1795456931000000|1795456931000000|job_status=done|attempt=1|egress_status=null|egress_error=null|attributed_by=null");
    assertDeadReasons(parsed, "payload is not valid JSON: truncated JSON at column 25", "payload has no event");
    assertAccount(parsed, "webhook_jobs", 4, 2, 0, 0, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void metricsCountEverySampleAndDeadLetterBrokenDocuments() throws Exception {
    String doc = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"__name__\":\"livekit_webhook_retries_total\",\"instance\":\"b:8000\"},\"values\":[[1795456800,\"3\"],[1795456860.0,\"5\"],[1795456920,\"NaN\"]]},"
        + "{\"metric\":{\"__name__\":\"process_cpu_seconds_total\"},\"values\":[[1795456800,\"1\"]]}]}}";
    Path good = write(dir, "m.json", doc);
    Path bad = write(dir, "broken.json", "{\"status\":\"error\",\"error\":\"query timed out\"}");
    Path vector = write(dir, "vector.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(good, bad, vector), new MetricsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "value", "instance"))
        .containsInAnyOrder(
            "livekit_webhook_retries_total|null|null|null|null|1795456800000000|1795456800000000|value=3.0|instance=b:8000",
            "livekit_webhook_retries_total|null|null|null|null|1795456860000000|1795456860000000|value=5.0|instance=b:8000");
    // The NaN sample is a staleness marker: filtered by its meaning, not a malformed record.
    assertDeadReasons(parsed, "Prometheus status 'error': query timed out",
        "not a range-query answer: data.resultType is vector");
    assertAccount(parsed, "metrics", 6, 2, 0, 2, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void windowAndScopeFilterBeforeAnyShuffle() throws Exception {
    String in = "{\"event\":\"session_started\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"seminar_id\":\"" + SEM + "\"}";
    String other = "{\"event\":\"session_started\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"seminar_id\":\"other\"}";
    String early = "{\"event\":\"session_started\",\"timestamp\":\"2026-11-22T23:59:59Z\",\"seminar_id\":\"" + SEM + "\"}";
    String atEnd = "{\"event\":\"session_started\",\"timestamp\":\"2026-11-24T00:00:00Z\",\"seminar_id\":\"" + SEM + "\"}";
    String global = "{\"event\":\"livekit_webhook_rejected\",\"timestamp\":\"2026-11-23T11:00:00Z\",\"error\":\"Invalid signature\"}";
    Path f = write(dir, "app.jsonl", String.join("\n", in, other, early, atEnd, global));
    RunScope scope = new RunScope(1795392000000000L, 1795478400000000L, SEM, null, null, 0);

    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(f), new BackendLogParser(config()), scope);
    PAssert.that(describe(parsed.records)).containsInAnyOrder(
        "session_started|" + SEM + "|null|null|null|1795428000000000|1795428000000000",
        "livekit_webhook_rejected|null|null|null|null|1795431600000000|1795431600000000");
    assertAccount(parsed, "backend_logs", 5, 0, 0, 3, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void ticketsParseThePlatformSpellingsAndRejectBadTimes() throws Exception {
    Path f = write(dir, "tickets.csv", "ticket_id,seminar_id,user_id,platform,reported_at,subject\n"
        + "T-1," + SEM + ",usr_1,iOS,2026-11-23T18:20:00+01:00,\"Can't join, \"\"stuck\"\"\"\n"
        + "T-2," + SEM + ",usr_2,android,last tuesday,Help\n"
        + "T-1," + SEM + ",usr_1,iOS,2026-11-23T18:20:00+01:00,dup\n");
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Ticket> parsed = ReaderHarness.readTickets(p, List.of(f));
    PAssert.that(parsed.records.apply(MapElements.into(TypeDescriptors.strings())
        .via((Ticket t) -> t.ticketId + "|" + t.platform + "|" + t.reportedAtMicros + "|" + t.subject)))
        .containsInAnyOrder("T-1|IOS|1795454400000000|Can't join, \"stuck\"");
    assertDeadReasons(parsed, "bad reported_at: unparseable timestamp 'last tuesday'");
    assertAccount(parsed, "tickets", 3, 1, 1, 0, 1);
    p.run().waitUntilFinish();
  }
}
