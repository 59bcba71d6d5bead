package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gaps are loud: a source left out makes the causes that need it undetermined (never a confident
 * guess), summary.json's source_gaps and the terminal say which; a run with nothing to report exits
 * 4 (0 with --allowEmpty). An unreadable ticket stays in tickets.csv/.jsonl.
 */
class GapsAndExitCodesTest {
  @TempDir Path tmp;

  private static String fixtures(String sub) {
    return Runs.FIXTURES.resolve(sub).toString();
  }

  @Test
  void withoutWebhookJobsAndMetricsNoRecordingCauseIsGuessedAndTheGapsAreNamed() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--analytics=" + fixtures("analytics"), "--crashlytics=" + fixtures("crashlytics"),
        "--backendLogs=" + fixtures("backend"), "--tickets=" + fixtures("tickets"), "--date=2026-11-23");
    assertEquals(0, r.exit, r.err);

    List<JsonNode> recording = r.jsonl("incidents.jsonl").stream()
        .filter(i -> Runs.text(i, "symptom").equals("recording_missing")).toList();
    assertEquals(4, recording.size(), "the same four sessions as the full run: " + summaries(recording));
    long undetermined = 0;
    for (JsonNode i : recording) {
      String cause = Runs.text(i, "cause");
      assertFalse(cause.equals("webhook_not_delivered"), "'never delivered' is a count of job rows nobody read: " + i);
      for (JsonNode e : i.get("evidence")) {
        assertFalse(Runs.text(e, "source").equals("webhook_jobs"), i.toString());
      }
      if (cause.equals("unknown")) {
        assertTrue(Runs.text(i, "summary").contains("cannot be told without webhook_jobs"), i.toString());
        undetermined++;
      }
    }
    // The full run decides two of them from the job table (webhook_failed, webhook_not_delivered).
    assertTrue(undetermined >= 2, "undetermined: " + undetermined);

    JsonNode gaps = r.summary().get("source_gaps");
    Map<String, JsonNode> bySource = new TreeMap<>();
    gaps.forEach(g -> bySource.put(Runs.text(g, "source"), g));
    assertEquals(List.of("metrics", "webhook_jobs"), List.copyOf(bySource.keySet()), gaps.toString());
    for (JsonNode g : gaps) {
      assertEquals("not_given", Runs.text(g, "state"));
      assertTrue(Runs.text(g, "detail").startsWith(Runs.text(g, "source") + " not given: "), g.toString());
    }
    assertTrue(Runs.text(bySource.get("webhook_jobs"), "detail").contains("recording_missing/webhook_not_delivered"), gaps.toString());
    assertTrue(Runs.text(bySource.get("metrics"), "detail").contains("media_dropped/webhook_backlog"), gaps.toString());
    int gapLine = r.out.indexOf("!! webhook_jobs not given");
    assertTrue(gapLine > 0 && gapLine < r.out.indexOf(" incidents"), "gaps before the counts:\n" + r.out);

    // The unreadable ticket stays, once dead-lettered and once listed; the rows add up.
    List<JsonNode> tickets = r.jsonl("tickets.jsonl");
    JsonNode swede = tickets.stream().filter(t -> Runs.text(t, "ticket_id").equals("SUP-4150")).findFirst().orElseThrow();
    assertEquals("unreadable", Runs.text(swede, "status"));
    assertTrue(Runs.text(swede, "reason").contains("reported_at") && Runs.text(swede, "reason").contains("igår kväll"), swede.toString());
    assertEquals("Ljudet försvann en stund under frågestunden", Runs.text(swede, "subject"));
    assertEquals("usr_d235a635", Runs.text(swede, "user_id"));
    JsonNode acc = r.summary().path("sources").path("tickets");
    assertEquals(acc.path("read").asLong(), tickets.size(), "one row per ticket row read");
    assertEquals(acc.path("used").asLong() + acc.path("dead_lettered").asLong(), tickets.size());
    assertTrue(r.jsonl("dead_letter.jsonl").stream().anyMatch(d -> Runs.text(d, "location").endsWith("tickets.csv:13")));
    List<CSVRecord> csv = Runs.csv(r.dir.resolve("tickets.csv"));
    CSVRecord row = csv.stream().filter(c -> c.get("ticket_id").equals("SUP-4150")).findFirst().orElseThrow();
    assertEquals("unreadable", row.get("status"));
    assertEquals("Ljudet försvann en stund under frågestunden", row.get("subject"));
    assertFalse(row.get("reason").isEmpty());
    assertEquals(1, r.summary().path("tickets").path("unreadable").asInt(), r.summary().path("tickets").toString());
    assertTrue(r.out.contains("tickets: ") && r.out.contains("unreadable 1"), r.out);
    assertTrue(r.out.contains("report: " + r.dir.resolve("report.html")), r.out);
  }

  @Test
  void withAnalyticsAloneNoStuckUserIsConcludedRoomNotCreated() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--analytics=" + fixtures("analytics"), "--date=2026-11-23");
    assertEquals(0, r.exit, r.err);
    List<JsonNode> stuck = r.jsonl("incidents.jsonl").stream()
        .filter(i -> Runs.text(i, "symptom").equals("stuck_connecting")).toList();
    assertEquals(5, stuck.size(), summaries(stuck));
    for (JsonNode i : stuck) {
      assertFalse(Runs.text(i, "cause").equals("room_not_created"), "a room's creation is backend/webhook evidence: " + i);
    }
    // The three users of the session whose room was never created (S07): undetermined, naming what is missing.
    List<JsonNode> s07 = stuck.stream().filter(i -> Runs.text(i, "seminar_id").equals("067d6cae-6c92-41f2-98c3-338e32c7bbb6")).toList();
    assertEquals(3, s07.size(), summaries(stuck));
    s07.forEach(i -> assertTrue(Runs.text(i, "summary").endsWith("cannot be told without backend_logs, webhook_jobs."),
        summaries(s07)));
    Map<String, String> states = new TreeMap<>();
    r.summary().get("source_gaps").forEach(g -> states.put(Runs.text(g, "source"), Runs.text(g, "state")));
    assertEquals(Map.of("backend_logs", "not_given", "crashlytics", "not_given", "metrics", "not_given",
        "webhook_jobs", "not_given"), states);
  }

  private static String summaries(List<JsonNode> incidents) {
    return String.join("\n", incidents.stream().map(i -> Runs.text(i, "cause") + ": " + Runs.text(i, "summary")).toList());
  }

  @Test
  void aDayWithoutDataExitsFourInOneLineAndZeroWithAllowEmpty() {
    Runs.Result r = Runs.run(tmp.resolve("empty"), "--inputDir=" + Runs.FIXTURES, "--date=2026-11-25");
    assertEquals(4, r.exit, r.err);
    assertEquals("sfu-triage: nothing to report: no source gave a used record in the window 2026-11-25T00:00:00.000Z – "
        + "2026-11-26T00:00:00.000Z: check the inputs and the window (exit 4; --allowEmpty exits 0)", r.err.strip());
    assertTrue(Files.isRegularFile(r.dir.resolve("summary.json")), "the outputs are written all the same");
    assertEquals(5, r.summary().get("source_gaps").size(), "every telemetry source is empty: " + r.summary().get("source_gaps"));
    r.summary().get("source_gaps").forEach(g -> assertEquals("empty", Runs.text(g, "state")));

    Runs.Result allowed = Runs.run(tmp.resolve("allowed"), "--inputDir=" + Runs.FIXTURES, "--date=2026-11-25", "--allowEmpty");
    assertEquals(0, allowed.exit, allowed.err);
    assertEquals("", allowed.err.strip());
  }

  @Test
  void aMistypedSeminarIdExitsFour() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--inputDir=" + Runs.FIXTURES, "--date=2026-11-23",
        "--seminarId=b8bb9502-63ae-4b16-843d-f0d400a5d52x");
    assertEquals(4, r.exit, r.err);
    assertEquals("sfu-triage: nothing to report: --seminarId=b8bb9502-63ae-4b16-843d-f0d400a5d52x matched no record of any "
        + "source in the window: check the id (and the window) (exit 4; --allowEmpty exits 0)", r.err.strip());
  }
}
