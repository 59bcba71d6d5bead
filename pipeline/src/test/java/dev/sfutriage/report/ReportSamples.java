package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** RunResults built by hand for the report tests: no pipeline, just the JSON shapes of data-contract §8. */
final class ReportSamples {
  static final List<String> CHECKLIST = List.of(
      "Collect seminar ID, user ID, platform (iOS/Android/Web), approximate time.",
      "Pull Crashlytics traces for livekit_* breadcrumbs.",
      "Check backend metrics/logs for the same window.",
      "Validate LiveKit Cloud status (dashboard) for outages.",
      "If root cause is backend misconfiguration or LiveKit outage, communicate ETA and mitigation to customer support.");
  static final String SCRIPT = "<script>alert(\"x\")</script>";
  static final String IMG = "\"><img src=x onerror=alert(1)>";
  static final String SVG_USER = "u-dee'\"><svg onload=alert(2)>";

  private ReportSamples() {}

  /**
   * Five incidents on 2026-11-23 (02:10, 02:40, 02:45, 05:05, 23:59), one of them full of markup, and
   * optionally last night's summary. The expected numbers are spelled out in ReportRenderTest.
   */
  static RunResult small(boolean withPrevious) {
    List<JsonNode> incidents = new ArrayList<>();
    incidents.add(incident("inc-1", "token_fetch_failed", "livekit_config_missing", "critical", "sem-101", "s-1", "u-ana",
        "IOS", "4.2.0", "2026-11-23T02:10:05.000Z", "2026-11-23T02:11:00.000Z", List.of(1, 2, 3),
        ev("analytics", "2026-11-23T02:10:05.000Z", "livekit_connect_failed", "error=token request failed"),
        ev("backend_logs", "2026-11-23T02:10:05.120Z", "http_request",
            "method=GET path=/sfu/token status_code=503 error=LiveKit configuration missing")));
    incidents.add(incident("inc-2", "token_fetch_failed", "livekit_config_missing", "critical", "sem-101", "s-1", "u-bo",
        "ANDROID", "4.2.0", "2026-11-23T02:40:00.000Z", "2026-11-23T02:40:01.000Z", List.of(1, 2, 3),
        ev("analytics", "2026-11-23T02:40:00.000Z", "livekit_connect_failed", "error=token request failed")));
    incidents.add(incident("inc-3", "media_dropped", "webhook_backlog", "high", "sem-101", "s-1", null, null, null,
        "2026-11-23T02:45:00.000Z", "2026-11-23T03:05:00.000Z", List.of(2, 3, 4, 5),
        ev("analytics", "2026-11-23T02:45:00.000Z", "livekit_room_state", "state=reconnecting"),
        ev("metrics", "2026-11-23T02:50:00.000Z", "livekit_webhook_retries_total", "value=14")));
    incidents.add(incident("inc-4", "token_fetch_failed", "no_access", "low", "sem-202", "s-7", "u-cy", "WEB", null,
        "2026-11-23T05:05:00.000Z", "2026-11-23T05:05:00.000Z", List.of(1, 2, 3),
        ev("backend_logs", "2026-11-23T05:05:00.000Z", "http_request", "path=/sfu/token status_code=403 body={\"password\": \"s3cr3t-value\"}")));
    incidents.add(incident("inc-5", "stuck_connecting", "websocket_blocked", "medium", "sem-303", "s-9", SVG_USER, "IOS",
        "4.1.9", "2026-11-23T23:59:30.000Z", "2026-11-24T00:01:30.000Z", List.of(1, 2, 3, 4, 9),
        ev("analytics", "2026-11-23T23:59:30.000Z", "livekit_room_state", "state=connecting error=" + IMG),
        ev("crashlytics", "2026-11-24T00:00:10.500Z", "livekit_connect_with_token_failed",
            "a|b `tick` [link](javascript:alert(3)) password=hunter2*x & bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig")));
    ((ObjectNode) incidents.get(4)).put("summary", SCRIPT + " & 'more' stayed connecting");

    List<JsonNode> pending = List.of(
        pending("recording_missing", "sem-101", "s-1", null, "2026-11-23T23:40:00.000Z", "2026-11-24T00:10:00.000Z",
            "session_ended without recording_finished; the 30m wait ends after the window"),
        pending("stuck_connecting", "sem-404", "s-2", "u-eve", "2026-11-23T23:59:00.000Z", "2026-11-24T00:01:00.000Z",
            "'quote' & <b>bold</b> reason"));

    Map<String, Map<String, Long>> dead = new TreeMap<>();
    dead.put("analytics", new TreeMap<>(Map.of("truncated JSON", 2L)));
    dead.put("backend_logs", new TreeMap<>(Map.of("<b>not JSON</b>", 1L)));

    ObjectNode summary = Json.MAPPER.createObjectNode();
    summary.putObject("window").put("from", "2026-11-23T00:00:00.000Z").put("to", "2026-11-24T00:00:00.000Z");
    ObjectNode sources = summary.putObject("sources");
    source(sources, "analytics", 100, 2, 3, 10, 85).putObject("filtered_by_reason").put("event_not_ingested", 10);
    source(sources, "backend_logs", 50, 1, 0, 20, 29).putObject("filtered_by_reason").put("outside_window", 20);
    summary.put("accounting_balanced", true);
    counts(summary.putObject("incidents"), incidents);
    summary.put("incident_count", incidents.size());
    summary.putArray("pending").addAll(pending);
    summary.putObject("unattributed_events").put("backend_logs", 4).put("webhook_jobs", 1);

    ObjectNode previous = null;
    if (withPrevious) {
      previous = Json.MAPPER.createObjectNode();
      previous.putObject("window").put("from", "2026-11-22T00:00:00.000Z").put("to", "2026-11-23T00:00:00.000Z");
      previous.putObject("sources").putObject("analytics").put("dead_lettered", 1);
      ObjectNode inc = previous.putObject("incidents");
      inc.putObject("token_fetch_failed").put("no_access", 3);
      inc.putObject("media_dropped").put("webhook_backlog", 2);
      inc.putObject("recording_missing").put("webhook_not_delivered", 2);
      previous.put("incident_count", 7);
      previous.putArray("pending").addObject().put("symptom", "stuck_connecting");
    }
    return new RunResult(incidents, pending, summary, dead, previous, CHECKLIST);
  }

  /**
   * A night like a real one: {@code n} incidents over a day across every symptom and cause, 1–60
   * evidence rows each, pending absences, dead letters, last night's summary. Deterministic for a seed.
   */
  static RunResult realistic(int n, long seed) {
    Random rnd = new Random(seed);
    String[][] kinds = {
        {"token_fetch_failed", "livekit_config_missing", "critical", "Token fetch fails in Flutter"},
        {"token_fetch_failed", "no_access", "low", "Token fetch fails in Flutter"},
        {"token_fetch_failed", "backend_error", "high", "Token fetch fails in Flutter"},
        {"stuck_connecting", "websocket_blocked", "medium", "Participant stuck connecting"},
        {"stuck_connecting", "room_not_created", "high", "Participant stuck connecting"},
        {"media_dropped", "webhook_backlog", "high", "Audio/Video drops mid-session"},
        {"media_dropped", "unknown", "medium", "Audio/Video drops mid-session"},
        {"recording_missing", "webhook_signature_mismatch", "critical", "Recording missing after session"},
        {"recording_missing", "webhook_failed", "high", "Recording missing after session"},
        {"connect_with_token_failed", "token_expired", "medium", "Crashlytics report livekit_connect_with_token_failed"},
        {"connect_with_token_failed", "device_clock_skew", "low", "Crashlytics report livekit_connect_with_token_failed"},
    };
    String[] platforms = {"IOS", "ANDROID", "WEB"};
    String[] versions = {"4.2.0", "4.2.1", "4.1.9", "4.0.3"};
    String[] sources = {"analytics", "crashlytics", "backend_logs", "webhook_jobs", "metrics"};
    String[] events = {"livekit_room_state", "livekit_connect_failed", "http_request", "egress_ended", "livekit_webhook_retry"};
    long day = Times.micros("2026-11-23T00:00:00Z");
    List<JsonNode> incidents = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      // Busier in the European evening: seminars cluster between 16:00 and 21:00 UTC.
      int hour = rnd.nextInt(3) == 0 ? rnd.nextInt(24) : 16 + rnd.nextInt(6);
      long first = day + hour * 3_600_000_000L + rnd.nextInt(3_600) * 1_000_000L + rnd.nextInt(1000) * 1000L;
      String[] kind = kinds[rnd.nextInt(kinds.length)];
      boolean session = kind[0].equals("media_dropped") || kind[0].equals("recording_missing");
      int evidence = 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 60 : 8);
      ArrayNode ev = Json.MAPPER.createArrayNode();
      long t = first;
      for (int e = 0; e < evidence; e++) {
        int s = rnd.nextInt(sources.length);
        ev.add(ev(sources[s], Times.iso(t), events[s], "state=reconnecting participant_count=" + rnd.nextInt(40)
            + " status_code=" + (500 + rnd.nextInt(4)) + " error=upstream timed out after " + rnd.nextInt(30) + "s"));
        t += rnd.nextInt(20_000_000);
      }
      String seminar = "sem-" + (1000 + rnd.nextInt(Math.max(3, n / 6)));
      ObjectNode i = incident(String.format("inc-%05d", k), kind[0], kind[1], kind[2], seminar, "s-" + rnd.nextInt(5),
          session ? null : "u-" + rnd.nextInt(n * 2), session ? null : platforms[rnd.nextInt(3)],
          session ? null : versions[rnd.nextInt(versions.length)], Times.iso(first), Times.iso(t), List.of(1, 2, 3));
      i.put("title", kind[3]);
      i.set("evidence", ev);
      incidents.add(i);
    }
    ObjectNode hostile = incident("inc-hostile", "connect_with_token_failed", "invalid_ws_url", "high", "sem-1000", "s-1",
        "u-mallory", "ANDROID", "4.2.1", "2026-11-23T19:30:00.000Z", "2026-11-23T19:30:02.000Z", List.of(1, 2, 3),
        ev("crashlytics", "2026-11-23T19:30:00.000Z", "livekit_connect_with_token_failed", "error=" + IMG));
    hostile.put("summary", "u-mallory could not connect: " + SCRIPT);
    incidents.add(hostile);
    incidents.sort(Comparator.comparing((JsonNode x) -> x.path("first_seen").asText())
        .thenComparing(x -> x.path("symptom").asText()).thenComparing(x -> x.path("incident_id").asText()));

    List<JsonNode> pending = List.of(pending("recording_missing", "sem-1001", "s-3", null, "2026-11-23T23:45:00.000Z",
        "2026-11-24T00:15:00.000Z", "session_ended without recording_finished; the 30m wait ends after the window"));
    Map<String, Map<String, Long>> dead = new TreeMap<>();
    dead.put("analytics", new TreeMap<>(Map.of("truncated JSON", 3L, "invalid UTF-8", 1L)));
    dead.put("crashlytics", new TreeMap<>(Map.of("unparseable timestamp 'yesterday'", 2L)));
    ObjectNode summary = Json.MAPPER.createObjectNode();
    summary.putObject("window").put("from", "2026-11-23T00:00:00.000Z").put("to", "2026-11-24T00:00:00.000Z");
    ObjectNode src = summary.putObject("sources");
    source(src, "analytics", 250_000, 4, 1_200, 180_000, 68_796);
    source(src, "crashlytics", 3_400, 2, 10, 0, 3_388);
    source(src, "backend_logs", 1_200_000, 0, 0, 1_150_000, 50_000);
    source(src, "webhook_jobs", 8_000, 0, 0, 0, 8_000);
    source(src, "metrics", 40_000, 0, 0, 30_000, 10_000);
    summary.put("accounting_balanced", true);
    counts(summary.putObject("incidents"), incidents);
    summary.put("incident_count", incidents.size());
    summary.putArray("pending").addAll(pending);
    summary.putObject("unattributed_events").put("backend_logs", 37);
    ObjectNode previous = Json.MAPPER.createObjectNode();
    previous.putObject("window").put("from", "2026-11-22T00:00:00.000Z").put("to", "2026-11-23T00:00:00.000Z");
    ObjectNode prev = previous.putObject("incidents");
    prev.putObject("token_fetch_failed").put("livekit_config_missing", n / 4).put("no_access", 3);
    prev.putObject("media_dropped").put("webhook_backlog", n / 10);
    previous.put("incident_count", n / 4 + 3 + n / 10);
    return new RunResult(incidents, pending, summary, dead, previous, CHECKLIST);
  }

  /**
   * A morning with one shared root cause: {@code users} participants of session s-77 of seminar
   * sem-777 stuck connecting because the room was never created (08:00–08:15, one problem), one
   * unrelated incident, a ticket matched to one of the stuck users, a source gap, and the scope of an
   * ad-hoc run (seminar sem-777, 08:00–12:00). Problems and drill-downs as Finalize assigns them.
   */
  static RunResult sharedProblem(int users, String hostileUser, String hostileError, String hostileDetail) {
    List<JsonNode> incidents = new ArrayList<>();
    String[] platforms = {"ANDROID", "IOS", "WEB"};
    for (int k = 0; k < users; k++) {
      String user = k == 0 ? hostileUser : String.format("usr_%02d", k);
      String t = String.format("2026-11-23T08:%02d:%02d.000Z", k * 15 / Math.max(1, users), k % 60);
      ObjectNode i = incident(String.format("inc-room-%02d", k), "stuck_connecting", "room_not_created", "high", "sem-777",
          "s-77", user, platforms[k % 3], "4.2.0", t, t, List.of(1, 2, 3),
          ev("analytics", t, "livekit_room_state", "state=connecting error=" + hostileError),
          ev("backend_logs", t, "livekit_room_create_failed", hostileDetail));
      i.put("shared_cause", true);
      incidents.add(i);
    }
    ObjectNode lone = incident("inc-lone", "token_fetch_failed", "no_access", "low", "sem-777", "s-77", "usr_lone", "IOS", "4.2.0",
        "2026-11-23T09:30:00.000Z", "2026-11-23T09:30:01.000Z", List.of(1),
        ev("backend_logs", "2026-11-23T09:30:00.000Z", "http_request", "path=/sfu/token status_code=403"));
    lone.put("shared_cause", false);
    incidents.add(lone);
    incidents.sort(Comparator.comparing((JsonNode x) -> x.path("first_seen").asText())
        .thenComparing(x -> x.path("symptom").asText()).thenComparing(x -> x.path("incident_id").asText()));
    List<ObjectNode> problems = Problems.assign(incidents);

    ObjectNode summary = Json.MAPPER.createObjectNode();
    ObjectNode run = summary.putObject("run");
    run.putObject("scope").put("seminar_id", "sem-777").putNull("session_id").putNull("user_id");
    run.putArray("inputs").add("--inputDir=fixtures");
    summary.putObject("window").put("from", "2026-11-23T08:00:00.000Z").put("to", "2026-11-23T12:00:00.000Z");
    source(summary.putObject("sources"), "analytics", 40, 0, 0, 0, 40);
    summary.put("accounting_balanced", true);
    summary.putArray("source_gaps").addObject().put("source", "webhook_jobs").put("state", "not_given")
        .put("detail", "webhook_jobs not given: recording causes cannot be decided");
    counts(summary.putObject("incidents"), incidents);
    summary.put("incident_count", incidents.size());
    summary.putArray("pending");
    Drilldown.annotate(incidents, problems, summary);

    ObjectNode ticket = Json.MAPPER.createObjectNode();
    ticket.put("ticket_id", "SUP-7001").put("status", "matched").put("subject", "Stuck on \"connecting\" | " + hostileError)
        .put("incident_id", "inc-room-01");
    ticket.putArray("incidents").addObject().put("incident_id", "inc-room-01");
    ObjectNode other = Json.MAPPER.createObjectNode();
    other.put("ticket_id", "SUP-7002").put("status", "matched").put("subject", "no access").put("incident_id", "inc-lone");
    other.putArray("incidents").addObject().put("incident_id", "inc-lone");
    return new RunResult(incidents, List.of(), summary, Map.of(), null, CHECKLIST, problems, List.of(ticket, other));
  }

  static ObjectNode incident(String id, String symptom, String cause, String severity, String seminar, String session,
      String user, String platform, String app, String first, String last, List<Integer> checklist, ObjectNode... evidence) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("incident_id", id);
    o.put("symptom", symptom);
    o.put("cause", cause);
    o.put("seminar_id", seminar);
    o.put("session_id", session);
    o.put("user_id", user);
    o.put("platform", platform);
    o.put("app_version", app);
    o.put("first_seen", first);
    o.put("last_seen", last);
    o.put("severity", severity);
    o.put("title", TITLES.getOrDefault(symptom, symptom));
    o.put("summary", (user == null ? "Session " + session : user) + " in seminar " + seminar + ": " + cause.replace('_', ' ') + ".");
    o.put("resolution", "Resolution for " + symptom + "/" + cause + ": check the backend logs and LiveKit status.");
    checklist.forEach(o.putArray("checklist")::add);
    ArrayNode ev = o.putArray("evidence");
    for (ObjectNode e : evidence) {
      ev.add(e);
    }
    return o;
  }

  static ObjectNode ev(String source, String timestamp, String event, String detail) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("source", source);
    e.put("timestamp", timestamp);
    e.put("event", event);
    e.put("detail", detail);
    e.put("location", source + ".jsonl:1");
    return e;
  }

  private static final Map<String, String> TITLES = Map.of(
      "token_fetch_failed", "Token fetch fails in Flutter",
      "stuck_connecting", "Participant stuck connecting",
      "media_dropped", "Audio/Video drops mid-session",
      "recording_missing", "Recording missing after session",
      "connect_with_token_failed", "Crashlytics report livekit_connect_with_token_failed");

  private static ObjectNode pending(String symptom, String seminar, String session, String user, String since,
      String waitUntil, String reason) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("symptom", symptom);
    p.put("seminar_id", seminar);
    p.put("session_id", session);
    p.put("user_id", user);
    p.put("since", since);
    p.put("wait_until", waitUntil);
    p.put("reason", reason);
    return p;
  }

  private static ObjectNode source(ObjectNode sources, String name, long read, long dead, long dups, long filtered, long used) {
    ObjectNode s = sources.putObject(name);
    s.put("read", read).put("dead_lettered", dead).put("duplicates", dups).put("filtered", filtered).put("used", used);
    return s;
  }

  private static void counts(ObjectNode into, List<JsonNode> incidents) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    for (JsonNode i : incidents) {
      m.computeIfAbsent(i.path("symptom").asText(), k -> new TreeMap<>()).merge(i.path("cause").asText(), 1L, Long::sum);
    }
    m.forEach((s, c) -> c.forEach(into.putObject(s)::put));
  }
}
