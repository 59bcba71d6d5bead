package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** The ad-hoc correlation job: one seminar, a merged timeline from every source, nothing from others. */
class AdHocTimelineTest {
  /** S15 of the fixture day: a websocket-blocked user and an unrelated crash (fixtures/README.md). */
  static final String SEMINAR = "b8bb9502-63ae-4b16-843d-f0d400a5d526";
  @TempDir Path tmp;

  @Test
  void aWrongIdSaysSoInsteadOfAnEmptyAllClear() {
    Runs.Result r = Runs.run(tmp.resolve("wrong-id"), "--inputDir=" + Runs.FIXTURES, "--date=2026-11-23",
        "--seminarId=5effcc11-2afa-4577-a278-f8d47c3ea6bX");
    assertEquals(4, r.exit, "nothing to report: " + r.err);
    assertTrue(r.jsonl("timeline.jsonl").isEmpty());
    String warning = r.summary().path("warnings").path(0).asText();
    assertTrue(warning.startsWith("--seminarId=5effcc11-2afa-4577-a278-f8d47c3ea6bX matched no record"), r.summary().toString());
    // A filter that matches is not warned about.
    Runs.Result ok = Runs.nightly(tmp.resolve("right-id"), "--seminarId=" + SEMINAR);
    assertTrue(ok.summary().path("warnings").isMissingNode(), ok.summary().toString());
  }

  @Test
  void anEmailGivenAsTheUserIdIsRedactedInTheScopeLabelAndTheWarning() throws Exception {
    Runs.Result r = Runs.run(tmp.resolve("email-id"), "--inputDir=" + Runs.FIXTURES, "--date=2026-11-23",
        "--userId=olle.planted@example.se");
    assertEquals(4, r.exit, "nothing to report: " + r.err);
    String summary = java.nio.file.Files.readString(r.dir.resolve("summary.json"));
    assertTrue(r.summary().path("warnings").path(0).asText().startsWith("--userId=[email"), summary);
    assertTrue(r.summary().path("run").path("scope_label").asText().contains("[email"), summary);
    assertTrue(!summary.contains("olle.planted"), summary);
  }

  @Test
  void oneSeminarsTimelineHoldsEverySourceOfThatSeminarAndNothingElse() {
    Runs.Result r = Runs.nightly(tmp.resolve("adhoc"), "--seminarId=" + SEMINAR);
    List<JsonNode> timeline = r.jsonl("timeline.jsonl");
    Set<String> sources = new TreeSet<>();
    String previous = "";
    for (JsonNode e : timeline) {
      String seminar = Runs.text(e, "seminar_id");
      assertTrue(seminar.equals(SEMINAR) || seminar.isEmpty(), "foreign event: " + e);
      if (seminar.equals(SEMINAR)) {
        sources.add(Runs.text(e, "source"));
      }
      assertTrue(Runs.text(e, "timestamp").compareTo(previous) >= 0, "timeline out of order at " + e);
      previous = Runs.text(e, "timestamp");
    }
    assertEquals(Set.of("analytics", "backend_logs", "crashlytics", "webhook_jobs"), sources);

    Set<String> expected = new TreeSet<>();
    for (CSVRecord x : Runs.csv(Runs.EXPECTED.resolve("incidents.csv"))) {
      if (x.get("seminar_id").equals(SEMINAR)) {
        expected.add(String.join(",", x.get("symptom"), x.get("cause"), x.get("seminar_id"), x.get("session_id"), x.get("user_id")));
      }
    }
    assertEquals(expected, Runs.incidentKeys(r.jsonl("incidents.jsonl")));
    assertTrue(r.summary().path("sources").path("analytics").path("filtered_by_reason").path("out_of_scope").asLong() > 0);
    String md = String.join("\n", Runs.lines(r.dir.resolve("timeline.md")));
    assertTrue(md.contains(SEMINAR) && md.contains("| time | device time | source | event |"), md.substring(0, 400));
  }

  @Test
  void theTimelineHoldsOnlyGlobalEventsThatAreEvidenceEachMarkedAndComesAsHtml() {
    Runs.Result r = Runs.nightly(tmp.resolve("scoped"), "--seminarId=" + SEMINAR);
    List<JsonNode> timeline = r.jsonl("timeline.jsonl");
    int global = 0;
    int evidence = 0;
    for (JsonNode e : timeline) {
      boolean isGlobal = Runs.text(e, "seminar_id").isEmpty();
      assertEquals(isGlobal, e.path("global").asBoolean(), "global marked: " + e);
      if (isGlobal) {
        global++;
        String event = Runs.text(e, "event");
        boolean failure = Set.of("livekit_webhook_rejected", "livekit_webhook_retry", "livekit_webhook_failed").contains(event)
            || e.path("attributes").path("status_code").asDouble(0) >= 400
            || Set.of("error", "warning", "critical", "fatal").contains(e.path("attributes").path("level").asText())
            || Runs.text(e, "source").equals("metrics");
        assertTrue(failure, "a routine global event in the timeline: " + e);
      }
      evidence += e.path("evidence_of").size() > 0 ? 1 : 0;
    }
    assertTrue(timeline.stream().noneMatch(e -> Runs.text(e, "seminar_id").isEmpty()
        && Runs.text(e, "detail").contains("path=/livekit/webhook status_code=200")), "webhook 200s of every room are left out");
    // Every incident's evidence that lies in the timeline is marked as such.
    assertTrue(evidence > 0, "evidence rows marked");
    // The accounting is untouched: what the timeline leaves out was counted by the read stage.
    assertTrue(r.summary().path("accounting_balanced").asBoolean());
    assertEquals("seminar " + SEMINAR + ", 2026-11-23 (UTC)", r.summary().path("run").path("scope_label").asText());

    String md = String.join("\n", Runs.lines(r.dir.resolve("timeline.md")));
    assertTrue(md.startsWith("# sfu-triage Timeline \u2014 seminar " + SEMINAR), md.substring(0, 200));
    assertTrue(md.contains("## Events (" + timeline.size() + ": " + global + " global, " + evidence + " evidence)"), md);
    String html = String.join("\n", Runs.lines(r.dir.resolve("timeline.html")));
    assertEquals(timeline.size(), html.split("<tr class=\"", -1).length - 1, "one HTML row per timeline event");
    assertEquals(global, html.split("<tr class=\"global", -1).length - 1);
    String report = String.join("\n", Runs.lines(r.dir.resolve("report.html")));
    assertTrue(report.contains("<h1>Incident report \u2014 seminar " + SEMINAR + ", 2026-11-23 (UTC)</h1>"));
    String reportMd = String.join("\n", Runs.lines(r.dir.resolve("report.md")));
    assertTrue(reportMd.startsWith("# sfu-triage Incident report \u2014 seminar " + SEMINAR));
    assertTrue(reportMd.contains("--seminarId=" + SEMINAR), "drill-down commands in the report");
    r.jsonl("incidents.jsonl").forEach(i -> assertTrue(Runs.text(i, "drilldown").contains("--seminarId=" + SEMINAR), i.toString()));
  }
}
