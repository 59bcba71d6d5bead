package dev.sfutriage.read;

import static dev.sfutriage.read.ReaderHarness.assertAccount;
import static dev.sfutriage.read.ReaderHarness.assertDeadLetters;
import static dev.sfutriage.read.ReaderHarness.assertFilteredByReason;
import static dev.sfutriage.read.ReaderHarness.config;
import static dev.sfutriage.read.ReaderHarness.readEvents;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Ticket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * The shapes of fixtures/formats/ (written from each format's public documentation, see
 * fixtures/formats/README.md), each through its reader with its exact account: read, dead-lettered,
 * duplicates, filtered (per reason) and used, and what the used records carry. Numbers print with
 * their type (503L is a Long, 4.851D a Double): integers must stay integers.
 */
class FormatFixturesTest {
  static final Path FORMATS = Paths.get("..", "fixtures", "formats").toAbsolutePath().normalize();
  static final String SEM = "5effcc11-2afa-4577-a278-f8d47c3ea6be";
  static final String SES = "7c0e3c52-8d1b-4f7a-9a53-2b6f0e4d1c88";

  /** name|seminar|session|user|platform|time and the given attributes (numbers with L or D). */
  static PCollection<String> describe(PCollection<Event> events, String... keys) {
    return events.apply("Describe", MapElements.into(TypeDescriptors.strings()).via((Event e) -> {
      StringBuilder sb = new StringBuilder(e.name + "|" + e.seminarId + "|" + e.sessionId + "|" + e.userId + "|"
          + e.platform + "|" + e.timeMicros);
      for (String k : keys) {
        Number n = e.number(k);
        Object v = e.attrs.containsKey(k) ? e.attrs.get(k) : n == null ? null : n + (n instanceof Long ? "L" : "D");
        sb.append('|').append(k).append('=').append(v);
      }
      return sb.toString();
    }));
  }

  static Path format(String source, String file) {
    return FORMATS.resolve(source).resolve(file);
  }

  @Test
  void cloudLoggingExportOfEveryServiceReadsRequestLogsAndFiltersTheRestByReason() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("backend_logs", "cloud-logging-every-service.jsonl")),
        new BackendLogParser(config()), RunScope.everything());
    String keys = "|status_code|duration_ms|method|path|log_kind|status_details|level";
    PAssert.that(describe(parsed.records, keys.substring(1).split("\\|"))).containsInAnyOrder(
        "livekit_connect_failed|" + SEM + "|null|usr_52161e28|null|1795420934241118|status_code=503L|duration_ms=null"
            + "|method=null|path=null|log_kind=null|status_details=null|level=error",
        // Cloud Run's request log of a proxy timeout the app never logged: global (the record names no user)
        "http_request|null|null|null|null|1795426867113402|status_code=504L|duration_ms=30001.243D|method=POST"
            + "|path=/sfu/token|log_kind=request_log|status_details=null|level=error",
        "http_request|null|null|null|null|1795426869583120|status_code=502L|duration_ms=4.851D|method=POST"
            + "|path=/sfu/token|log_kind=request_log|status_details=failed_to_connect_to_backend|level=warning",
        // the seminar is in the URL's path
        "http_request|" + SEM + "|null|null|null|1795426851004411|status_code=200L|duration_ms=18L|method=GET"
            + "|path=/studio/seminars/" + SEM + "|log_kind=request_log|status_details=response_sent_by_backend|level=info",
        // LogEntry timestamp as a protobuf {seconds, nanos}
        "session_started|" + SEM + "|" + SES + "|null|null|1795420800512000|status_code=null|duration_ms=null"
            + "|method=null|path=null|log_kind=null|status_details=null|level=info");
    assertDeadLetters(parsed, "cloud-logging-every-service.jsonl:14: truncated JSON at column 121");
    // a 200 on /sfu/token that names no one joins no one: filtered (a 5xx of no one is kept above)
    assertFilteredByReason(parsed, "backend_logs", Map.of(Filters.REQUEST_LOG_NOT_RELEVANT, 2L,
        Filters.REQUEST_LOG_UNATTRIBUTED, 1L, Filters.UNSTRUCTURED, 1L, Filters.AUDIT_LOG, 1L, Filters.OTHER_SERVICE_LOG, 2L));
    assertAccount(parsed, "backend_logs", 14, 1, 1, 7, 5);
    p.run().waitUntilFinish();
  }

  @Test
  void aPrettyPrintedJsonArrayIsReadRowByRowWithLinesAndRawBytes() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("analytics", "bigquery-console-download.json")),
        new AnalyticsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "status_code", "error", "firebase_screen_id", "ga_session_id")).containsInAnyOrder(
        "livekit_connect_failed|" + SEM + "|null|usr_52161e28|ANDROID|1795420934603892|status_code=502L"
            + "|error=HTTP 502: Bad Gateway|firebase_screen_id=-5164663614086310235L|ga_session_id=1795420733L",
        "livekit_token_fetched|" + SEM + "|null|usr_52161e28|ANDROID|1795420990112004|status_code=null"
            + "|error=null|firebase_screen_id=-5164663614086310235L|ga_session_id=1795420733L");
    assertDeadLetters(parsed, "bigquery-console-download.json:398: missing event_timestamp");
    // the dead letter's raw text is the element as it was in the file (pretty-printed), not re-serialized
    PAssert.that(parsed.deadLetters.apply("Raw", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.raw.substring(0, 60))))
        .containsInAnyOrder("{\n    \"event_date\": \"20261123\",\n    \"event_timestamp\": null,");
    assertFilteredByReason(parsed, "analytics", Map.of(Filters.IRRELEVANT, 1L));
    assertAccount(parsed, "analytics", 5, 1, 1, 1, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void crashlyticsBatchAndRealtimeCountAnEventOnceAndReadAppleErrorsAndProtobufTimestamps() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("crashlytics", "com_example_seminars_IOS.json"),
        format("crashlytics", "com_example_seminars_IOS_REALTIME.json")), new CrashlyticsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "error", "error_code", "error_subtitle", "error_type", "blame_file")).containsInAnyOrder(
        "crash|" + SEM + "|null|usr_f6c646b3|IOS|1795427702118000|error=NSURLErrorDomain|error_code=-1009L"
            + "|error_subtitle=The Internet connection appears to be offline.|error_type=NON_FATAL"
            + "|blame_file=LiveKitRoomController.swift:214",
        "crash|" + SEM + "|null|usr_f6c646b3|IOS|1795428764930000|error=null|error_code=null|error_subtitle=null"
            + "|error_type=FATAL|blame_file=LiveKitRoomController.swift:377",
        "livekit_connect_with_token_failed|" + SEM + "|null|usr_f6c646b3|IOS|1795428663204000"
            + "|error=LiveKitException: could not connect to room: ConnectException(websocket closed)|error_code=null"
            + "|error_subtitle=null|error_type=NON_FATAL|blame_file=null");
    // the event of both tables is kept once, from the batch table (the smaller location)
    PAssert.that(parsed.records.apply("Locations", MapElements.into(TypeDescriptors.strings())
        .via((Event e) -> e.location.substring(e.location.lastIndexOf('/') + 1))))
        .containsInAnyOrder("com_example_seminars_IOS.json:1", "com_example_seminars_IOS.json:2",
            "com_example_seminars_IOS_REALTIME.json:88");
    assertAccount(parsed, "crashlytics", 4, 0, 1, 0, 3);
    p.run().waitUntilFinish();
  }

  @Test
  void prometheusAnswersAsTheyComeAreHandledByMeaning() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("metrics", "prometheus-a.json"), format("metrics", "prometheus-b.json"),
        format("metrics", "rate-without-name.json")), new MetricsParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "value", "instance")).containsInAnyOrder(
        "livekit_webhook_retries_total|null|null|null|null|1795428000000000|value=12.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_retries_total|null|null|null|null|1795428060000000|value=12.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_retries_total|null|null|null|null|1795428120000000|value=15.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_retries_total|null|null|null|null|1795428180000000|value=19.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_pending_jobs|null|null|null|null|1795428000000000|value=0.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_pending_jobs|null|null|null|null|1795428060000000|value=3.0D|instance=seminar-backend-1:8000",
        "livekit_webhook_queue_size|null|null|null|null|1795428120000000|value=2.0D|instance=seminar-backend-1:8000");
    PAssert.that(parsed.deadLetters).empty();
    assertFilteredByReason(parsed, "metrics", Map.of(Filters.METRIC_NAN, 1L, Filters.METRIC_INFINITE, 2L,
        Filters.UNNAMED_SERIES, 6L));
    // the HA twin's four samples are duplicates
    assertAccount(parsed, "metrics", 20, 0, 4, 9, 7);
    p.run().waitUntilFinish();
  }

  @Test
  void aCsvWithABrokenQuoteLosesOnlyTheBrokenRecord() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("webhook_jobs", "broken-quote.csv")),
        new WebhookJobParser(config()), RunScope.everything());
    PAssert.that(describe(parsed.records, "job_status", "attempt", "file_size", "egress_status")).containsInAnyOrder(
        "room_started|" + SEM + "|" + SES + "|null|null|1795420801000000|job_status=done|attempt=1L|file_size=null|egress_status=null",
        "egress_ended|" + SEM + "|" + SES + "|null|null|1795431600000000|job_status=failed|attempt=5L|file_size=423355680L"
            + "|egress_status=EGRESS_FAILED",
        "participant_left|" + SEM + "|" + SES + "|usr_52161e28|null|1795431000000000|job_status=done|attempt=1L|file_size=null"
            + "|egress_status=null");
    assertDeadLetters(parsed, "broken-quote.csv:3: broken CSV quote: a quoted field opened on this line does not close where a record could end;"
        + " reading resumes at the next line");
    assertAccount(parsed, "webhook_jobs", 4, 1, 0, 0, 3);
    p.run().waitUntilFinish();
  }

  @Test
  void ticketIdsAreComparedAsGiven() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Ticket> parsed = ReaderHarness.readTickets(p, List.of(format("tickets", "ids-as-given.csv")));
    PAssert.that(parsed.records.apply(MapElements.into(TypeDescriptors.strings()).via((Ticket t) -> "[" + t.ticketId + "]")))
        .containsInAnyOrder("[T-1]", "[T-1 ]");
    assertAccount(parsed, "tickets", 3, 0, 1, 0, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void aUtf16FileIsOneDeadLetterNamingItsEncoding() {
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(format("backend_logs", "powershell-utf16le.jsonl")),
        new BackendLogParser(config()), RunScope.everything());
    assertDeadLetters(parsed,
        "powershell-utf16le.jsonl:1: file is UTF-16LE (byte-order mark), not UTF-8: re-export it as UTF-8");
    assertAccount(parsed, "backend_logs", 1, 1, 0, 0, 0);
    p.run().waitUntilFinish();
  }
}
