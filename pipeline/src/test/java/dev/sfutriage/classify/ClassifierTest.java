package dev.sfutriage.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.correlate.GlobalEvents;
import dev.sfutriage.correlate.MetricsIndex;
import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default rules' edges: window boundaries, ordering of causes, counts, absences, clock skew. */
class ClassifierTest {
  static final RuleSet RULES = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})");
  static final long T0 = 1_795_420_800_000_000L; // 2026-11-23T08:00:00Z
  static final long S = 1_000_000L;
  static final long MIN = 60 * S;
  static final DataWindow DAY = new DataWindow(T0 - 8 * 60 * MIN, T0 + 16 * 60 * MIN);
  static final String SEM = "sem";
  static final String SES = "ses";

  static final Set<String> ALL_SOURCES = Set.of("analytics", "crashlytics", "backend_logs", "webhook_jobs", "metrics");

  final Classifier classifier = new Classifier(RULES);
  Set<String> available = ALL_SOURCES;
  final List<PendingCase> pending = new ArrayList<>();

  static Event.Builder client(String name, long t, String user) {
    return Event.builder("analytics", name).time(t).seminar(SEM).session(SES).user(user).platform("ANDROID")
        .location("a:" + name + t + user);
  }

  static Event.Builder backend(String name, long t) {
    return Event.builder("backend_logs", name).time(t).seminar(SEM).session(SES).location("b:" + name + t);
  }

  static Event state(String s, long t, String user) {
    return client("livekit_room_state", t, user).attr("state", s).build();
  }

  static SessionFacts facts(Event... events) {
    SessionFacts.Fn fn = new SessionFacts.Fn(RULES);
    SessionFacts acc = fn.createAccumulator();
    for (Event e : events) {
      acc = fn.addInput(acc, e);
    }
    return fn.extractOutput(acc);
  }

  static GlobalEvents globals(Event... events) {
    GlobalEvents.Fn fn = new GlobalEvents.Fn();
    GlobalEvents acc = fn.createAccumulator();
    for (Event e : events) {
      acc = fn.addInput(acc, e);
    }
    return fn.extractOutput(acc);
  }

  static MetricsIndex metrics(String name, long start, double... values) {
    MetricsIndex.Fn fn = new MetricsIndex.Fn(10 * MIN);
    MetricsIndex acc = fn.createAccumulator();
    for (int i = 0; i < values.length; i++) {
      acc = fn.addInput(acc, Event.builder("metrics", name).time(start + i * MIN).num("value", values[i])
          .attr("series", name + "{instance=b}").location("m" + i).build());
    }
    return fn.extractOutput(acc);
  }

  List<Incident> participant(String user, SessionFacts f, GlobalEvents g, MetricsIndex m, Event... events) {
    return classifier.classifyParticipant(SEM, user, Arrays.asList(events), s -> f, g, m, DAY, available, pending);
  }

  List<Incident> session(SessionFacts f, GlobalEvents g, MetricsIndex m) {
    return classifier.classifySession(f, g, m, DAY, available, pending);
  }

  List<Incident> participant(String user, SessionFacts f, Event... events) {
    return participant(user, f, globals(), metrics("none", T0), events);
  }

  static String causes(List<Incident> incidents) {
    return String.join(",", incidents.stream().map(i -> i.symptom + "/" + i.cause).sorted().toList());
  }

  @Test
  void tokenFetchCauseComesFromTheBackendStatusWithinTheParticipantWindow() {
    Event client = client("livekit_connect_failed", T0, "u1").attr("error", "ClientException").build();
    Event b503 = backend("livekit_connect_failed", T0 + 119 * S).user("u1").num("status_code", 503d)
        .attr("error", "LiveKit configuration missing").build();
    assertEquals("token_fetch_failed/livekit_config_missing", causes(participant("u1", facts(), client, b503)));
    Event late403 = backend("http_request", T0 + 121 * S).user("u1").attr("path", "/sfu/token").num("status_code", 403d).build();
    // The 403 starts its own trigger; one incident per (seminar, user) and its own status decides.
    assertEquals("token_fetch_failed/no_access", causes(participant("u1", facts(), late403)));
    // Without any status within 2 minutes the cause is unknown.
    Event far = backend("livekit_connect_failed", T0 + 3 * MIN).user("u2").build();
    Event client2 = client("livekit_connect_failed", T0, "u2").build();
    List<Incident> out = participant("u2", facts(), client2, far);
    assertEquals("token_fetch_failed/unknown", causes(out));
    assertEquals(2, out.get(0).evidence.size());
    assertEquals(T0, out.get(0).firstSeenMicros);
    assertEquals(T0 + 3 * MIN, out.get(0).lastSeenMicros);
  }

  @Test
  void oneEpisodePerAttemptTwoAttemptsHoursApartAreTwoIncidents() {
    Event b503 = backend("livekit_connect_failed", T0).user("u1").num("status_code", 503d)
        .attr("error", "LiveKit configuration missing").build();
    Event again503 = backend("livekit_connect_failed", T0 + 30 * S).user("u1").num("status_code", 503d)
        .attr("error", "LiveKit configuration missing").build();
    Event b403 = backend("livekit_connect_failed", T0 + 12 * 60 * MIN).user("u1").num("status_code", 403d).build();
    List<Incident> out = participant("u1", facts(), b503, again503, b403);
    assertEquals("token_fetch_failed/livekit_config_missing,token_fetch_failed/no_access", causes(out));
    Incident first = out.stream().filter(i -> i.cause.equals("livekit_config_missing")).findFirst().get();
    assertEquals(T0, first.firstSeenMicros);
    assertEquals(T0 + 30 * S, first.lastSeenMicros);
    assertTrue(!first.incidentId.equals(out.stream().filter(i -> i.cause.equals("no_access")).findFirst().get().incidentId));
  }

  @Test
  void aClientFailureAfterAGoodTokenOrFollowedByConnectedIsNotATokenFailure() {
    Event ok = backend("http_request", T0 - 10 * S).user("u1").attr("path", "/sfu/token").num("status_code", 200d).build();
    Event failed = client("livekit_connect_failed", T0, "u1").attr("error", "SocketException: Connection reset by peer").build();
    assertEquals("", causes(participant("u1", facts(), ok, failed)));
    // Another user's good token does not excuse this user.
    Event othersOk = backend("http_request", T0 - 10 * S).user("u2").attr("path", "/sfu/token").num("status_code", 200d).build();
    assertEquals("token_fetch_failed/unknown", causes(participant("u1", facts(), othersOk, failed)));
    // A token more than five minutes old is not this attempt's.
    Event oldOk = backend("livekit_token_issued", T0 - 6 * MIN).user("u1").num("ttl_seconds", 21600d).build();
    assertEquals("token_fetch_failed/unknown", causes(participant("u1", facts(), oldOk, failed)));
    // The user got in on the next try: a transient failure.
    assertEquals("", causes(participant("u1", facts(), failed, state("connecting", T0 + 20 * S, "u1"),
        state("connected", T0 + 22 * S, "u1"))));
  }

  @Test
  void theUnknownSummaryNeverClaimsThatNoBackendAnswered() {
    Event failed = client("livekit_connect_failed", T0, "u1").attr("error", "TimeoutException").build();
    Event b404 = backend("http_request", T0 + S).user("u1").attr("path", "/sfu/token").num("status_code", 404d).build();
    Incident i = participant("u1", facts(), failed, b404).get(0);
    assertEquals("token_fetch_failed/unknown", i.symptom + "/" + i.cause);
    assertTrue(!i.summary.contains("no backend answer"), i.summary);
    assertTrue(i.evidence.stream().anyMatch(e -> e.detail.contains("404")), i.evidence.toString());
  }

  @Test
  void configMissingWinsOverBackendErrorBecauseItIsListedFirst() {
    Event b = backend("livekit_connect_failed", T0).user("u1").num("status_code", 503d).attr("error", "LiveKit configuration missing").build();
    assertEquals("token_fetch_failed/livekit_config_missing", causes(participant("u1", facts(), b)));
    Event b502 = backend("livekit_connect_failed", T0).user("u1").num("status_code", 502d).attr("error", "Bad Gateway").build();
    assertEquals("token_fetch_failed/backend_error", causes(participant("u1", facts(), b502)));
    Event b409 = backend("http_request", T0).user("u1").attr("path", "/sfu/token").num("status_code", 409d).build();
    assertEquals("token_fetch_failed/seminar_not_live", causes(participant("u1", facts(), b409)));
  }

  @Test
  void stuckConnectingNeedsTheWholeTwoMinutesWithoutConnected() {
    SessionFacts healthy = facts(backend("livekit_room_created", T0 - MIN).build(), state("connected", T0, "other"));
    Event c1 = state("connecting", T0, "u1");
    Event c2 = state("connecting", T0 + 20 * S, "u1");
    assertEquals("", causes(participant("u1", healthy, c1, c2, state("connected", T0 + 139 * S, "u1"))));
    List<Incident> blocked = participant("u1", healthy, c1, c2, state("connected", T0 + 141 * S, "u1"));
    assertEquals("stuck_connecting/websocket_blocked", causes(blocked));
    assertTrue(blocked.get(0).checks.stream().anyMatch(c -> c.contains("1 other user") && c.endsWith("true")),
        blocked.get(0).checks.toString());
    SessionFacts noRoom = facts(c1, c2);
    assertEquals("stuck_connecting/room_not_created", causes(participant("u1", noRoom, c1, c2)));
    SessionFacts alone = facts(backend("livekit_room_created", T0 - MIN).build(), c1, c2);
    assertEquals("stuck_connecting/unknown", causes(participant("u1", alone, c1, c2)));
  }

  @Test
  void aSingleConnectingIsNotStuckAndAnExplicitFailureSupersedesStuck() {
    SessionFacts healthy = facts(backend("livekit_room_created", T0 - MIN).build(), state("connected", T0, "other"));
    assertEquals("", causes(participant("u1", healthy, state("connecting", T0, "u1"))));
    Event failed = client("livekit_connect_with_token_failed", T0 + S, "u1").attr("error", "Unexpected connection state").build();
    assertEquals("connect_with_token_failed/unknown", causes(participant("u1", healthy, state("connecting", T0, "u1"), failed)));
    // Two quick explicit failures: repeated connecting, but the explicit failure is the more specific story.
    Event failed2 = client("livekit_connect_with_token_failed", T0 + 31 * S, "u1").attr("error", "Unexpected connection state").build();
    assertEquals("connect_with_token_failed/unknown", causes(participant("u1", healthy, state("connecting", T0, "u1"), failed,
        state("connecting", T0 + 30 * S, "u1"), failed2)));
  }

  @Test
  void anAbsenceWhoseWaitEndsAfterTheWindowIsPendingNotAnIncident() {
    long nearEnd = DAY.toMicros - 60 * S;
    assertEquals("", causes(participant("u1", facts(), state("connecting", nearEnd - 20 * S, "u1"), state("connecting", nearEnd, "u1"))));
    assertEquals(1, pending.size());
    assertEquals("stuck_connecting", pending.get(0).symptom);
    assertEquals(nearEnd + 2 * MIN, pending.get(0).waitUntilMicros);
  }

  @Test
  void mediaDroppedCountsReconnectsAndUsesResetAwareCounterIncrease() {
    Event start = backend("session_started", T0).build();
    Event end = backend("session_ended", T0 + 30 * MIN).build();
    Event r1 = state("reconnecting", T0 + 5 * MIN, "u1");
    Event r2 = state("reconnecting", T0 + 6 * MIN, "u2");
    Event r3 = state("reconnecting", T0 + 7 * MIN, "u3");
    Event finished = backend("recording_finished", T0 + 32 * MIN).build();
    assertEquals("", causes(session(facts(start, end, finished, r1, r2), globals(), metrics("none", T0))));
    // Three reconnects two hours apart are not toggling.
    Event far1 = state("reconnecting", T0 + 120 * MIN, "u1");
    Event far2 = state("reconnecting", T0 + 240 * MIN, "u2");
    Event longEnd = backend("session_ended", T0 + 300 * MIN).build();
    Event longFinished = backend("recording_finished", T0 + 302 * MIN).build();
    assertEquals("", causes(session(facts(start, longEnd, longFinished, r1, far1, far2), globals(), metrics("none", T0))));
    // The counter drops to 0 at a restart and stays there: no real retries, so no backlog.
    MetricsIndex resetOnly = metrics("livekit_webhook_retries_total", T0 - 5 * MIN, 40, 40, 40, 40, 40, 0, 0, 0, 0, 0);
    assertEquals("media_dropped/unknown", causes(session(facts(start, end, finished, r1, r2, r3), globals(), resetOnly)));
    MetricsIndex rising = metrics("livekit_webhook_retries_total", T0 - 5 * MIN, 40, 40, 40, 40, 40, 0, 2, 5, 9, 9);
    List<Incident> backlog = session(facts(start, end, finished, r1, r2, r3), globals(), rising);
    assertEquals(T0 + 5 * MIN, backlog.get(0).firstSeenMicros);
    assertEquals(T0 + 7 * MIN, backlog.get(0).lastSeenMicros);
    assertEquals("media_dropped/webhook_backlog", causes(backlog));
    assertTrue(backlog.get(0).evidence.stream().anyMatch(e -> e.source.equals("metrics") && e.detail.contains("increase 9")),
        backlog.get(0).evidence.toString());
  }

  @Test
  void recordingMissingWaitsThirtyMinutesAndPrefersTheSessionsOwnFailedJob() {
    Event start = backend("session_started", T0).build();
    Event end = backend("session_ended", T0 + 30 * MIN).build();
    Event late = backend("recording_finished", T0 + 59 * MIN).build();
    assertEquals("", causes(session(facts(start, end, late), globals(), metrics("x", T0))));
    Event rejected = Event.builder("backend_logs", "livekit_webhook_rejected").time(T0 + 40 * MIN)
        .attr("error", "Invalid signature").location("g1").build();
    assertEquals("recording_missing/webhook_signature_mismatch",
        causes(session(facts(start, end), globals(rejected), metrics("x", T0))));
    Event failedJob = Event.builder("webhook_jobs", "egress_ended").time(T0 + 31 * MIN).seminar(SEM).session(SES)
        .attr("egress_status", "EGRESS_FAILED").attr("job_status", "failed").location("j1").build();
    assertEquals("recording_missing/webhook_failed",
        causes(session(facts(start, end, failedJob), globals(rejected), metrics("x", T0))));
    assertEquals("recording_missing/webhook_not_delivered",
        causes(session(facts(start, end), globals(), metrics("x", T0))));
    Event okJob = Event.builder("webhook_jobs", "egress_ended").time(T0 + 31 * MIN).seminar(SEM).session(SES)
        .attr("egress_status", "EGRESS_COMPLETE").attr("job_status", "done").location("j2").build();
    assertEquals("recording_missing/unknown",
        causes(session(facts(start, end, okJob), globals(), metrics("x", T0))));
    // Without the job table the failed-job question cannot be answered: undetermined, and it says why.
    available = Set.of("analytics", "backend_logs", "metrics");
    Incident undetermined = session(facts(start, end), globals(), metrics("x", T0)).get(0);
    assertEquals("recording_missing/unknown", undetermined.symptom + "/" + undetermined.cause);
    assertTrue(undetermined.summary.contains("without webhook_jobs"), undetermined.summary);
  }

  @Test
  void aRejectionOutsideTheSessionsWaitIsNotItsCause() {
    Event start = backend("session_started", T0).build();
    Event end = backend("session_ended", T0 + 30 * MIN).build();
    Event farRejected = Event.builder("backend_logs", "livekit_webhook_rejected").time(T0 + 4 * 60 * MIN)
        .attr("error", "Invalid signature").location("g2").build();
    assertEquals("recording_missing/webhook_not_delivered",
        causes(session(facts(start, end), globals(farRejected), metrics("x", T0))));
  }

  @Test
  void connectWithTokenFailedSeparatesSkewFromExpiryOnCorrectedTime() {
    Event issued = backend("livekit_token_issued", T0).user("u1").num("ttl_seconds", 600d).build();
    Event expired = client("livekit_connect_with_token_failed", T0 + 35 * MIN, "u1").attr("error", "LiveKit Exception").build();
    assertEquals("connect_with_token_failed/token_expired", causes(participant("u1", facts(), issued, expired)));
    // A device 3 h ahead: its corrected time is 5 minutes after issue, well within the TTL.
    Event skewed = client("livekit_connect_with_token_failed", T0 + 5 * MIN, "u1").num("clock_skew_seconds", 10800d)
        .attr("error", "HandshakeException: CERTIFICATE_VERIFY_FAILED: certificate is not yet valid").build();
    assertEquals("connect_with_token_failed/device_clock_skew", causes(participant("u1", facts(), issued, skewed)));
    Event dns = client("livekit_connect_with_token_failed", T0 + 5 * MIN, "u1")
        .attr("error", "ClientException with SocketException: Failed host lookup: 'lk.exmaple.com'").build();
    assertEquals("connect_with_token_failed/invalid_ws_url", causes(participant("u1", facts(), issued, dns)));
    Event other = client("livekit_connect_with_token_failed", T0 + 5 * MIN, "u1").attr("error", "Unexpected connection state").build();
    List<Incident> unknown = participant("u1", facts(), issued, other);
    assertEquals("connect_with_token_failed/unknown", causes(unknown));
    assertEquals("u1 could not connect to LiveKit with a token in seminar sem; no URL error, clock skew or expired token"
        + " explains it.", unknown.get(0).summary);
  }

  @Test
  void clockSkewIsMoreThanFiveMinutesAheadNeverBehind() {
    Event issued = backend("livekit_token_issued", T0).user("u1").num("ttl_seconds", 21600d).build();
    for (double skew : new double[] {299, -400, -10800}) {
      Event e = client("livekit_connect_with_token_failed", T0 + 5 * MIN, "u1").num("clock_skew_seconds", skew)
          .attr("error", "Unexpected connection state").build();
      assertEquals("connect_with_token_failed/unknown", causes(participant("u1", facts(), issued, e)), "skew " + skew);
    }
    Event ahead = client("livekit_connect_with_token_failed", T0 + 5 * MIN, "u1").num("clock_skew_seconds", 301d)
        .attr("error", "Unexpected connection state").build();
    assertEquals("connect_with_token_failed/device_clock_skew", causes(participant("u1", facts(), issued, ahead)));
  }

  @Test
  void aTokenUsedJustInsideItsTtlIsNotExpiredAndAFresherTokenCounts() {
    Event issued = backend("livekit_token_issued", T0).user("u1").num("ttl_seconds", 600d).build();
    Event inside = client("livekit_connect_with_token_failed", T0 + 590 * S, "u1").attr("error", "x").build();
    assertEquals("connect_with_token_failed/unknown", causes(participant("u1", facts(), issued, inside)));
    Event after = client("livekit_connect_with_token_failed", T0 + 610 * S, "u1").attr("error", "x").build();
    assertEquals("connect_with_token_failed/token_expired", causes(participant("u1", facts(), issued, after)));
    Event fresh = backend("livekit_token_issued", T0 + 600 * S).user("u1").num("ttl_seconds", 600d).build();
    assertEquals("connect_with_token_failed/unknown", causes(participant("u1", facts(), issued, fresh, after)));
  }

  @Test
  void incidentIdsAreStableAndIgnoreTheCause() {
    Event a = client("livekit_connect_failed", T0, "u1").build();
    Event b = backend("livekit_connect_failed", T0).user("u1").num("status_code", 403d).build();
    assertEquals(participant("u1", facts(), a).get(0).incidentId, participant("u1", facts(), a, b).get(0).incidentId);
  }
}
