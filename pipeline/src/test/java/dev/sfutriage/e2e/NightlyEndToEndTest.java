package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main on the fixture day (the nightly job with tickets), against the ground truth the
 * fixture generator wrote in fixtures/expected/: exact accounting, exact incidents, pending cases,
 * ticket statuses — and nothing from the traps.
 */
class NightlyEndToEndTest {
  @TempDir static Path tmp;
  static Runs.Result run;

  @BeforeAll
  static void runNightly() {
    run = Runs.nightly(tmp.resolve("nightly"), "--tickets=" + Runs.FIXTURES.resolve("tickets"));
  }

  @Test
  void accountingMatchesTheGroundTruthExactlyAndBalances() {
    JsonNode expected = Runs.json(Runs.EXPECTED.resolve("accounting.json"));
    JsonNode sources = run.summary().path("sources");
    Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
    Set<String> seen = new TreeSet<>();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      seen.add(e.getKey());
      for (String outcome : List.of("read", "dead_lettered", "duplicates", "filtered", "used")) {
        assertEquals(e.getValue().path(outcome).asLong(), sources.path(e.getKey()).path(outcome).asLong(),
            e.getKey() + "." + outcome);
      }
      JsonNode a = sources.path(e.getKey());
      assertEquals(a.path("read").asLong(), a.path("dead_lettered").asLong() + a.path("duplicates").asLong()
          + a.path("filtered").asLong() + a.path("used").asLong(), e.getKey() + " identity");
    }
    assertEquals(seen, fieldNames(sources));
    assertTrue(run.summary().path("accounting_balanced").asBoolean());
  }

  @Test
  void theSummarysCountsAreTheIncidentsOfIncidentsJsonl() {
    java.util.Map<String, Long> fromIncidents = new java.util.TreeMap<>();
    for (JsonNode i : run.jsonl("incidents.jsonl")) {
      fromIncidents.merge(i.path("symptom").asText() + "/" + i.path("cause").asText(), 1L, Long::sum);
    }
    java.util.Map<String, Long> fromSummary = new java.util.TreeMap<>();
    run.summary().path("incidents").fields().forEachRemaining(sym -> sym.getValue().fields().forEachRemaining(c -> {
      assertTrue(c.getValue().isIntegralNumber(), sym.getKey() + "/" + c.getKey() + ": " + c.getValue());
      fromSummary.put(sym.getKey() + "/" + c.getKey(), c.getValue().asLong());
    }));
    assertEquals(fromIncidents, fromSummary);
    assertEquals(run.jsonl("incidents.jsonl").size(), run.summary().path("incident_count").asInt());
  }

  @Test
  void everyUnreadableRecordIsDeadLetteredWithAReason() {
    List<JsonNode> dead = run.jsonl("dead_letter.jsonl");
    long expected = 0;
    for (JsonNode s : run.summary().path("sources")) {
      expected += s.path("dead_lettered").asLong();
    }
    assertEquals(expected, dead.size());
    for (JsonNode d : dead) {
      assertFalse(Runs.text(d, "reason").isBlank(), d.toString());
      assertTrue(Runs.text(d, "location").matches(".+:(\\d+|result\\[\\d+\\].*)"), d.toString());
      assertFalse(Runs.text(d, "source").isBlank(), d.toString());
    }
  }

  @Test
  void incidentsAreExactlyThePlantedOnes() {
    Set<String> expected = dev.sfutriage.fixtures.IncidentKeys.expected(Runs.EXPECTED.resolve("incidents.csv"));
    assertEquals(String.join("\n", expected), String.join("\n", Runs.incidentKeys(run.jsonl("incidents.jsonl"))));
  }

  @Test
  void windowEdgeAbsencesArePendingNotIncidents() {
    Set<String> expected = new TreeSet<>();
    for (CSVRecord r : Runs.csv(Runs.EXPECTED.resolve("pending.csv"))) {
      expected.add(String.join(",", r.get("symptom"), r.get("seminar_id"), r.get("session_id"), r.get("user_id")));
    }
    Set<String> actual = new TreeSet<>();
    for (JsonNode p : run.summary().path("pending")) {
      actual.add(String.join(",", Runs.text(p, "symptom"), Runs.text(p, "seminar_id"), Runs.text(p, "session_id"),
          Runs.text(p, "user_id")));
    }
    assertEquals(expected, actual);
  }

  @Test
  void everyIncidentCarriesTheGuidesResolutionAndTimeOrderedEvidence() {
    for (JsonNode i : run.jsonl("incidents.jsonl")) {
      assertFalse(Runs.text(i, "resolution").isBlank(), i.toString());
      assertFalse(Runs.text(i, "summary").contains("?"), "unfilled placeholder: " + Runs.text(i, "summary"));
      List<String> times = new ArrayList<>();
      i.path("evidence").forEach(e -> times.add(Runs.text(e, "timestamp")));
      assertFalse(times.isEmpty());
      List<String> sorted = new ArrayList<>(times);
      sorted.sort(null);
      assertEquals(sorted, times, "evidence out of order in " + Runs.text(i, "incident_id"));
    }
  }

  @Test
  void ticketsResolveToTheirExpectedStatusSymptomAndCause() {
    Map<String, JsonNode> byId = new java.util.TreeMap<>();
    for (JsonNode t : run.jsonl("tickets.jsonl")) {
      byId.put(Runs.text(t, "ticket_id"), t);
    }
    List<CSVRecord> expected = Runs.csv(Runs.EXPECTED.resolve("tickets.csv"));
    assertEquals(expected.size(), byId.size());
    for (CSVRecord r : expected) {
      JsonNode t = byId.get(r.get("ticket_id"));
      assertEquals(r.get("status") + "," + r.get("symptom") + "," + r.get("cause"),
          Runs.text(t, "status") + "," + Runs.text(t, "symptom") + "," + Runs.text(t, "cause"), r.get("ticket_id"));
    }
  }

  @Test
  void writesEveryNightlyOutputAndNoStagingLeftovers() throws IOException {
    for (String f : List.of("incidents.jsonl", "incidents.csv", "report.md", "report.html", "summary.json",
        "dead_letter.jsonl", "tickets.jsonl", "tickets.csv", "replay.sql")) {
      assertTrue(Files.isRegularFile(run.dir.resolve(f)), f);
    }
    try (var s = Files.list(run.dir.getParent())) {
      assertEquals(List.of("nightly"), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.equals("nightly")).toList());
    }
    assertEquals(run.jsonl("incidents.jsonl").size(), Runs.csv(run.dir.resolve("incidents.csv")).size());
  }

  @Test
  void aSecondRunOverTheSameInputsIsByteIdenticalButForTheMarkedRunTime() throws IOException {
    Runs.Result again = Runs.nightly(tmp.resolve("again"), "--tickets=" + Runs.FIXTURES.resolve("tickets"));
    // The index folder is compared by its own test (IndexParityTest): Avro files carry a random sync marker.
    List<String> files = visible(run.dir);
    assertEquals(files, visible(again.dir));
    assertEquals(Files.readString(run.dir.resolve("index/manifest.json")), Files.readString(again.dir.resolve("index/manifest.json")));
    for (String f : files) {
      String a = Files.readString(run.dir.resolve(f));
      String b = Files.readString(again.dir.resolve(f));
      a = Runs.withoutRunStart(f, a);
      b = Runs.withoutRunStart(f, b);
      assertEquals(a, b, f + " differs between two runs");
    }
  }

  @Test
  void onAnotherBeamFileSystemTheOutputsAreTheSameBytesAndNothingIsLeftBehindOrWrittenLocally() throws IOException {
    FakeGcsFileSystem.useRoot(tmp.resolve("fakegcs"));
    Path bucket = tmp.resolve("fakegcs").resolve("bucket");
    Path day = bucket.resolve("reports").resolve("day");
    Files.createDirectories(day);
    Files.writeString(day.resolve("timeline.md"), "stale: an earlier ad-hoc run's\n");
    Path workingDir = Path.of("").toAbsolutePath();
    List<String> before = names(workingDir);

    Runs.Result remote = Runs.run("fakegcs://bucket/reports/day", day, "--inputDir=" + Runs.FIXTURES, "--date=2026-11-23",
        "--tickets=" + Runs.FIXTURES.resolve("tickets"));
    assertEquals(0, remote.exit, remote.err);

    List<String> files = visible(run.dir);
    assertEquals(files, names(day), "the same files; the stale timeline.md removed");
    for (String f : files) {
      String a = Files.readString(run.dir.resolve(f));
      String b = Files.readString(day.resolve(f));
      a = Runs.withoutRunStart(f, a);
      b = Runs.withoutRunStart(f, b);
      assertEquals(a, b, f + " differs from the local run's");
    }
    assertEquals(List.of("day"), names(day.getParent()), "no staging left in the bucket");
    assertEquals(List.of("reports"), names(bucket));
    assertEquals(before, names(workingDir), "nothing written next to the working directory");
    // The workers wrote the parts under the output's bucket; the report files arrived from its staging.
    List<String> log = List.copyOf(FakeGcsFileSystem.log);
    assertTrue(log.stream().anyMatch(l -> l.matches("(create|copy) bucket/reports/\\.day\\.staging-[0-9a-f]{8}/parts/.*part-.*")),
        String.join("\n", log));
    List<String> arrived = log.stream().filter(l -> l.startsWith("copy bucket/reports/day/") && !l.contains("/day/index/")).toList();
    assertEquals(files.size(), arrived.size(), String.join("\n", log));
    assertEquals("copy bucket/reports/day/summary.json", arrived.get(arrived.size() - 1), "summary.json last");
    assertTrue(remote.out.contains("  fakegcs://bucket/reports/day/summary.json\n"), remote.out);
    // The day's index arrived beside the reports, on the same file system.
    assertTrue(Files.isRegularFile(day.resolve("index/manifest.json")));
    assertTrue(log.stream().anyMatch(l -> l.matches("copy bucket/reports/day/index/s\\d{3}/part-.*\\.avro")), String.join("\n", log));
  }

  /** The outputs a user opens (locally symlinks into the hidden .sets/, through .current). */
  private static List<String> visible(Path dir) throws IOException {
    return names(dir).stream().filter(n -> !n.startsWith(".")).toList();
  }

  /** The files of a folder (not the index folder, which has its own tests). */
  private static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("index")).sorted().toList();
    }
  }

  @Test
  void replaySqlRequeuesTheFailedJobWithTheGuidesStatement() {
    String sql = String.join("\n", Runs.lines(run.dir.resolve("replay.sql")));
    assertEquals(1, sql.split("\nupdate app.livekit_webhook_jobs", -1).length - 1, sql);
    assertTrue(sql.contains("update app.livekit_webhook_jobs\nset status = 'pending', next_run_at = now(), last_error = null\n"
        + "where id = 'fa1a80f7-261f-456e-83fe-158e640d8e5c' and status = 'failed';"), sql);
    assertTrue(sql.startsWith("-- sfu-triage replay.sql") && sql.contains("\n-- Window 2026-11-23T00:00:00.000Z – 2026-11-24T00:00:00.000Z;"
        + " run started at " + run.summary().path("run").path("started_at").asText()), sql);
    assertTrue(sql.contains("\n-- From the export: "
        + Runs.FIXTURES.toAbsolutePath().normalize().resolve("webhook_jobs").resolve("livekit_webhook_jobs.csv") + ".\n"), sql);
    assertTrue(sql.contains("-- last error: ") && sql.contains("EGRESS_FAILED"), sql);
  }

  @Test
  void withLastNightsSummaryTheReportShowsWhatChanged() {
    Runs.Result tonight = Runs.nightly(tmp.resolve("tonight"), "--previousSummary=" + run.dir.resolve("summary.json"));
    String md = String.join("\n", Runs.lines(tonight.dir.resolve("report.md")));
    String html = String.join("\n", Runs.lines(tonight.dir.resolve("report.html")));
    assertTrue(md.toLowerCase().contains("since last night"), md.substring(0, 600));
    assertTrue(html.toLowerCase().contains("since last night"));
    assertFalse(String.join("\n", Runs.lines(run.dir.resolve("report.md"))).toLowerCase().contains("since last night"));
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
