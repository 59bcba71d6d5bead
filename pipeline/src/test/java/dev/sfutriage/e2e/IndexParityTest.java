package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.index.IndexFormat;
import dev.sfutriage.index.ReadIndex;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The day's index answers as the raw files do: the nightly's incidents, one seminar's ad-hoc incidents
 * and timeline, and the tickets' enrichment are byte-identical from the raw files and from the index
 * (read partially where the run allows); every run's accounting balances; an index of another format
 * version, or one whose ingest kept less than the rules need, is refused with one line.
 */
class IndexParityTest {
  static final String DATE = "--date=2026-11-23";
  static final String TICKETS = "--tickets=" + Runs.FIXTURES.resolve("tickets/tickets.csv");
  @TempDir static Path tmp;
  static Runs.Result nightly;

  @BeforeAll
  static void nightlyFromRawFilesWritesTheIndex() {
    nightly = Runs.nightly(tmp.resolve("nightly"));
  }

  @Test
  void theIndexHasSeminarGlobalAndMetricsPartitionsAndAManifest() throws IOException {
    Path index = nightly.dir.resolve(IndexFormat.DIR);
    JsonNode manifest = Runs.json(index.resolve(IndexFormat.MANIFEST));
    assertEquals(IndexFormat.VERSION, manifest.path("format_version").asInt());
    assertEquals(64, manifest.path("rules_sha256").asText().length());
    assertTrue(manifest.path("window").has("from_micros"));
    long used = 0;
    for (JsonNode a : manifest.path("accounting")) {
      used += a.path("used").asLong();
    }
    assertTrue(used > 1000, manifest.toString());
    assertTrue(Files.isDirectory(index.resolve(IndexFormat.GLOBAL)));
    assertTrue(Files.isDirectory(index.resolve(IndexFormat.METRICS)));
    try (Stream<Path> s = Files.list(index)) {
      assertTrue(s.filter(p -> p.getFileName().toString().matches("s\\d\\d")).count() > 10);
    }
  }

  @Test
  void theNightlyFromTheIndexFindsTheSameIncidents() {
    Runs.Result again = run("reclassified", "--fromIndex=" + nightly.dir, DATE);
    same(nightly, again, "incidents.jsonl");
    same(nightly, again, "problems.jsonl");
    // The same accounting; the dead letters themselves stay in the nightly's dead_letter.jsonl (not indexed).
    for (String source : List.of("analytics", "crashlytics", "backend_logs", "webhook_jobs", "metrics")) {
      ObjectNode want = (ObjectNode) nightly.summary().path("sources").path(source).deepCopy();
      ObjectNode got = (ObjectNode) again.summary().path("sources").path(source).deepCopy();
      want.remove("dead_lettered_by_reason");
      got.remove("dead_lettered_by_reason");
      assertEquals(want, got, source);
    }
    assertTrue(again.summary().path("accounting_balanced").asBoolean());
    assertFalse(Files.exists(again.dir.resolve(IndexFormat.DIR)), "a run from the index writes none");
  }

  @Test
  void oneSeminarFromItsPartitionGivesTheSameIncidentsAndTimeline() {
    String seminar = "--seminarId=" + AdHocTimelineTest.SEMINAR;
    Runs.Result raw = Runs.nightly(tmp.resolve("adhoc-raw"), seminar);
    Runs.Result indexed = run("adhoc-index", "--fromIndex=" + nightly.dir, DATE, TICKETS, seminar);
    assertFalse(Runs.lines(raw.dir.resolve("timeline.jsonl")).isEmpty());
    same(raw, indexed, "timeline.jsonl");
    same(raw, indexed, "incidents.jsonl");
    same(raw, indexed, "tickets.jsonl");
    assertTrue(indexed.summary().path("sources").path("analytics").path("filtered_by_reason").path(ReadIndex.NOT_READ).asLong() > 0,
        "only the seminar's partition was read");
  }

  @Test
  void ticketsFromTheirSeminarsPartitionsAreEnrichedTheSame() {
    Runs.Result indexed = run("tickets-index", "--fromIndex=" + nightly.dir, DATE, TICKETS);
    assertFalse(Runs.lines(nightly.dir.resolve("tickets.jsonl")).isEmpty());
    same(nightly, indexed, "tickets.jsonl");
  }

  @Test
  void anotherFormatVersionOrANarrowerIngestIsRefusedInOneLine() throws IOException {
    Path copy = tmp.resolve("old-format");
    copyTree(nightly.dir.resolve(IndexFormat.DIR), copy.resolve(IndexFormat.DIR));
    Path manifest = copy.resolve(IndexFormat.DIR).resolve(IndexFormat.MANIFEST);
    ObjectNode m = (ObjectNode) Runs.json(manifest);
    m.put("format_version", IndexFormat.VERSION + 1);
    Files.writeString(manifest, Json.MAPPER.writeValueAsString(m), StandardCharsets.UTF_8);
    Runs.Result old = Runs.run(tmp.resolve("refused-1"), "--fromIndex=" + copy, DATE);
    assertEquals(2, old.exit, old.err);
    assertTrue(old.err.startsWith("sfu-triage: --fromIndex: index format version"), old.err);
    assertEquals(1, old.err.strip().lines().count(), old.err);

    m.put("format_version", IndexFormat.VERSION);
    ((ObjectNode) m.path("ingest").path("keep_events")).putArray("analytics").add("livekit_connect*");
    Files.writeString(manifest, Json.MAPPER.writeValueAsString(m), StandardCharsets.UTF_8);
    Runs.Result narrow = Runs.run(tmp.resolve("refused-2"), "--fromIndex=" + copy, DATE);
    assertEquals(2, narrow.exit, narrow.err);
    assertTrue(narrow.err.contains("did not keep: run on the raw inputs"), narrow.err);
    assertEquals(1, narrow.err.strip().lines().count(), narrow.err);
  }

  private static Runs.Result run(String name, String... args) {
    Runs.Result r = Runs.run(tmp.resolve(name), args);
    assertEquals(0, r.exit, "exit code (3: the accounting does not balance); stderr: " + r.err);
    return r;
  }

  /** The same lines, but for each line's drill-down command, which names the run's own inputs (raw files or --fromIndex). */
  private static void same(Runs.Result a, Runs.Result b, String file) {
    assertEquals(RunsAccess.withoutDrilldown(Runs.lines(a.dir.resolve(file))),
        RunsAccess.withoutDrilldown(Runs.lines(b.dir.resolve(file))), file);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
