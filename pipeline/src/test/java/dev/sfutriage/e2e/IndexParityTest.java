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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The day's index answers as the raw files do: the nightly's incidents, one seminar's, one user's and one
 * session's ad-hoc incidents and timeline, and the tickets' enrichment are byte-identical from the raw
 * files and from the index (read partially where the run allows), on both engines — the runner and the
 * in-process engine ({@code --engine}) — with the same accounting; every run's accounting balances; an
 * index of another format version, or one whose ingest kept less than the rules need, is refused with
 * one line.
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
      assertTrue(s.filter(p -> p.getFileName().toString().matches("s\\d{3}")).count() > 10);
    }
    assertEquals(IndexFormat.SEMINAR_BUCKETS, manifest.path("seminar_buckets").asInt());
    try (Stream<Path> s = Files.list(index)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().matches("s\\d\\d")), "no partition of the 64-bucket naming");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"RUNNER", "IN_PROCESS"})
  void theNightlyFromTheIndexFindsTheSameIncidents(String engine) {
    Runs.Result again = run("reclassified-" + engine, "--fromIndex=" + nightly.dir, DATE, "--engine=" + engine);
    assertEngine(engine, again);
    same(nightly, again, "incidents.jsonl");
    same(nightly, again, "problems.jsonl");
    assertEquals(nightly.summary().path("pending"), again.summary().path("pending"));
    same(nightly, again, "replay.sql");
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

  @ParameterizedTest
  @ValueSource(strings = {"RUNNER", "IN_PROCESS"})
  void oneSeminarFromItsPartitionGivesTheSameIncidentsAndTimeline(String engine) {
    String seminar = "--seminarId=" + AdHocTimelineTest.SEMINAR;
    Runs.Result raw = Runs.nightly(tmp.resolve("adhoc-raw-" + engine), seminar, TICKETS);
    Runs.Result indexed = run("adhoc-index-" + engine, "--fromIndex=" + nightly.dir, DATE, TICKETS, seminar, "--engine=" + engine);
    assertEngine(engine, indexed);
    assertFalse(Runs.lines(raw.dir.resolve("timeline.jsonl")).isEmpty());
    sameAnswers(raw, indexed);
    assertTrue(indexed.summary().path("sources").path("analytics").path("filtered_by_reason").path(ReadIndex.NOT_READ).asLong() > 0,
        "only the seminar's partition was read");
  }

  /**
   * A user across seminars and a session (all partitions read): the user's own incidents in two sessions,
   * and a session whose only incident is session-wide (no user), with their timelines and accounting.
   */
  @ParameterizedTest
  @CsvSource({
      "RUNNER, --userId=usr_b2a8a70a",
      "IN_PROCESS, --userId=usr_b2a8a70a",
      "RUNNER, --sessionId=aa79559d-b156-4858-bfa0-e16d23e46adb",
      "IN_PROCESS, --sessionId=aa79559d-b156-4858-bfa0-e16d23e46adb"})
  void oneUserOrOneSessionGivesTheSameAnswers(String engine, String scope) {
    String name = engine + "-" + scope.substring(2, 6);
    Runs.Result raw = Runs.nightly(tmp.resolve("scope-raw-" + name), scope);
    Runs.Result indexed = run("scope-index-" + name, "--fromIndex=" + nightly.dir, DATE, TICKETS, scope, "--engine=" + engine);
    assertEngine(engine, indexed);
    assertFalse(Runs.lines(raw.dir.resolve("incidents.jsonl")).isEmpty(), "the scope has incidents");
    sameAnswers(raw, indexed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RUNNER", "IN_PROCESS"})
  void ticketsFromTheirSeminarsPartitionsAreEnrichedTheSame(String engine) {
    Runs.Result indexed = run("tickets-index-" + engine, "--fromIndex=" + nightly.dir, DATE, TICKETS, "--engine=" + engine);
    assertEngine(engine, indexed);
    assertFalse(Runs.lines(nightly.dir.resolve("tickets.jsonl")).isEmpty());
    same(nightly, indexed, "tickets.jsonl");
    same(nightly, indexed, "tickets.csv");
    assertEquals(nightly.summary().path("sources").path("tickets"), indexed.summary().path("sources").path("tickets"));
  }

  /**
   * Tickets that name a user and no seminar read the partitions of that user's seminars (the index's
   * user map), with the global and metrics ones, and are enriched byte for byte as from the raw files:
   * a user matched in one seminar, a user in two sessions, a user who appears nowhere, the first user's
   * id in capitals (ids are compared as given: no match, from either), a user whose events are all
   * without seminar, beside a ticket with a seminar.
   */
  @ParameterizedTest
  @ValueSource(strings = {"RUNNER", "IN_PROCESS"})
  void ticketsWithAUserAndNoSeminarReadOnlyTheirUsersPartitions(String engine) throws IOException {
    Runs.Result indexed = run("user-tickets-index-" + engine, "--fromIndex=" + nightly.dir, DATE, userTickets(), "--engine=" + engine);
    assertEngine(engine, indexed);
    Runs.Result raw = userTicketsFromRawFiles();
    same(raw, indexed, "tickets.jsonl");
    same(raw, indexed, "tickets.csv");
    assertEquals(raw.summary().path("sources").path("tickets"), indexed.summary().path("sources").path("tickets"));
    assertEquals("matched", ticket(indexed, "SUP-4129").path("status").asText(), "the user's own incident, found from the index");
    assertFalse(ticket(indexed, "U-2").path("timeline").isEmpty(), "the second user's events around the time");
    assertEquals("no_telemetry", ticket(indexed, "U-3").path("status").asText());

    java.util.TreeSet<String> want = new java.util.TreeSet<>(List.of(IndexFormat.GLOBAL, IndexFormat.METRICS,
        IndexFormat.seminarPartition("5effcc11-2afa-4577-a278-f8d47c3ea6be")));
    for (String line : Runs.lines(nightly.dir.resolve(IndexFormat.DIR).resolve(IndexFormat.USER_MAP))) {
      String user = line.substring(0, line.indexOf('\t'));
      if (List.of("usr_52161e28", "usr_a1fa3c98", "usr_b2a8a70a").contains(user)) {
        want.addAll(List.of(line.substring(line.indexOf('\t') + 1).split(" ")));
      }
    }
    JsonNode read = indexed.summary().path("run").path("index_partitions");
    assertTrue(read.isArray(), "summary.run.index_partitions: " + read);
    java.util.TreeSet<String> got = new java.util.TreeSet<>();
    read.forEach(p -> got.add(p.asText()));
    assertEquals(want, got);
    assertTrue(got.size() < partitionCount(nightly.dir.resolve(IndexFormat.DIR)), "fewer than all partitions: " + got);
  }

  /**
   * A ticket with a seminar and a user reads the user's other seminars' partitions too: a seminar-less
   * crash of the user's is attributed by user and time to the closest of the user's seminars, which
   * may be another one than the ticket's (here the map is made to say so; the answer stays the same).
   */
  @Test
  void aTicketWithSeminarAndUserReadsTheUsersOtherPartitions() throws IOException {
    Path copy = tmp.resolve("user-elsewhere");
    copyTree(nightly.dir.resolve(IndexFormat.DIR), copy.resolve(IndexFormat.DIR));
    Path map = copy.resolve(IndexFormat.DIR).resolve(IndexFormat.USER_MAP);
    String own = IndexFormat.seminarPartition("5effcc11-2afa-4577-a278-f8d47c3ea6be");
    String other;
    try (var dirs = Files.list(copy.resolve(IndexFormat.DIR))) { // another seminar partition of this index
      other = dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("s\\d+") && !n.equals(own)).sorted()
          .findFirst().orElseThrow();
    }
    List<String> lines = Runs.lines(map).stream()
        .map(l -> l.startsWith("usr_52161e28\t") ? "usr_52161e28\t" + String.join(" ", new java.util.TreeSet<>(List.of(own, other))) : l)
        .toList();
    assertTrue(lines.stream().anyMatch(l -> l.contains(other) && l.startsWith("usr_52161e28")), "SUP-4102's user is in the map");
    Files.write(map, lines, StandardCharsets.UTF_8);
    Path tickets = tmp.resolve("seminar-and-user.csv");
    Files.writeString(tickets, "ticket_id,seminar_id,user_id,platform,reported_at,subject\n"
        + "SUP-4102,5effcc11-2afa-4577-a278-f8d47c3ea6be,usr_52161e28,android,2026-11-23T08:19:40Z,Can't join\n", StandardCharsets.UTF_8);
    Runs.Result r = run("user-elsewhere-run", "--fromIndex=" + copy, DATE, "--tickets=" + tickets, "--engine=IN_PROCESS");
    List<String> read = new ArrayList<>();
    r.summary().path("run").path("index_partitions").forEach(p -> read.add(p.asText()));
    assertEquals(new java.util.TreeSet<>(List.of(own, other, IndexFormat.GLOBAL, IndexFormat.METRICS)), new java.util.TreeSet<>(read));
    assertEquals("matched", ticket(r, "SUP-4102").path("status").asText());
  }

  /** The map is written by either engine's nightly, byte for byte the same, and listed in the manifest. */
  @Test
  void bothEnginesWriteTheSameUserMap() throws IOException {
    boolean inProcess = nightly.summary().path("run").path("engine").asText().startsWith("in process");
    Runs.Result other = Runs.nightly(tmp.resolve("nightly-other-engine"), "--engine=" + (inProcess ? "RUNNER" : "IN_PROCESS"));
    assertEquals(!inProcess, other.summary().path("run").path("engine").asText().startsWith("in process"));
    Path map = nightly.dir.resolve(IndexFormat.DIR).resolve(IndexFormat.USER_MAP);
    List<String> lines = Runs.lines(map);
    assertTrue(lines.contains("usr_a1fa3c98\t" + IndexFormat.seminarPartition("53096625-526e-452a-bcf0-a8b2e7b3ebd9")), "SUP-4129's user");
    assertEquals(lines.stream().sorted().distinct().toList(), lines, "sorted, one line per user");
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(map),
        Files.readAllBytes(other.dir.resolve(IndexFormat.DIR).resolve(IndexFormat.USER_MAP))), "the same bytes from both engines");
    JsonNode entry = Runs.json(nightly.dir.resolve(IndexFormat.DIR).resolve(IndexFormat.MANIFEST)).path("user_map");
    assertEquals(IndexFormat.USER_MAP, entry.path("file").asText());
    assertEquals(lines.size(), entry.path("users").asInt());
    assertEquals(entry, Runs.json(other.dir.resolve(IndexFormat.DIR).resolve(IndexFormat.MANIFEST)).path("user_map"));
  }

  /** An index written before the user map (no file, or no manifest entry) reads every partition for a user: the same answers. */
  @ParameterizedTest
  @ValueSource(strings = {"file", "manifest-entry"})
  void anIndexWithoutTheUserMapReadsAllPartitionsForAUser(String removed) throws IOException {
    Path copy = tmp.resolve("no-user-map-" + removed);
    copyTree(nightly.dir.resolve(IndexFormat.DIR), copy.resolve(IndexFormat.DIR));
    Path manifest = copy.resolve(IndexFormat.DIR).resolve(IndexFormat.MANIFEST);
    if (removed.equals("file")) {
      Files.delete(copy.resolve(IndexFormat.DIR).resolve(IndexFormat.USER_MAP));
    } else {
      ObjectNode m = (ObjectNode) Runs.json(manifest);
      m.remove("user_map");
      Files.writeString(manifest, Json.MAPPER.writeValueAsString(m), StandardCharsets.UTF_8);
    }
    Runs.Result old = run("no-user-map-run-" + removed, "--fromIndex=" + copy, DATE, userTickets(), "--engine=IN_PROCESS");
    assertEquals("", old.err.strip(), "no error, no warning");
    same(userTicketsFromRawFiles(), old, "tickets.jsonl");
    same(userTicketsFromRawFiles(), old, "tickets.csv");
    assertEquals("all", old.summary().path("run").path("index_partitions").asText());
  }

  private static Runs.Result userTicketsRaw;

  private static synchronized Runs.Result userTicketsFromRawFiles() throws IOException {
    if (userTicketsRaw == null) {
      userTicketsRaw = Runs.nightly(tmp.resolve("user-tickets-raw"), userTickets());
    }
    return userTicketsRaw;
  }

  /** The --tickets option of {@link #ticketsWithAUserAndNoSeminarReadOnlyTheirUsersPartitions}'s tickets. */
  private static synchronized String userTickets() throws IOException {
    Path file = tmp.resolve("user-tickets.csv");
    if (!Files.exists(file)) {
      dev.sfutriage.model.Event global = globalOnlyUserEvent();
      Files.writeString(file, String.join("\n",
          "ticket_id,seminar_id,user_id,platform,reported_at,subject",
          "SUP-4102,5effcc11-2afa-4577-a278-f8d47c3ea6be,usr_52161e28,android,2026-11-23T08:19:40Z,Can't join",
          "SUP-4129,,usr_a1fa3c98,Android,2026-11-23T09:10:05Z,\"Connection error when joining, something about a certificate\"",
          "U-2,,usr_b2a8a70a,Web,2026-11-23T20:45:00Z,Cannot get in",
          "U-3,,usr_00000000,iOS,2026-11-23T12:00:00Z,A user who appears nowhere",
          "U-4,,USR_A1FA3C98,Android,2026-11-23T09:10:05Z,The first user in capitals",
          "U-5,," + global.userId + ",," + dev.sfutriage.util.Times.iso(global.timeMicros) + ",Only seminar-less events") + "\n",
          StandardCharsets.UTF_8);
    }
    return "--tickets=" + file;
  }

  /** An indexed event without seminar of a user who is in no seminar (not in the user map). */
  private static dev.sfutriage.model.Event globalOnlyUserEvent() throws IOException {
    Path index = nightly.dir.resolve(IndexFormat.DIR);
    java.util.Set<String> mapped = new java.util.HashSet<>();
    Runs.lines(index.resolve(IndexFormat.USER_MAP)).forEach(l -> mapped.add(l.substring(0, l.indexOf('\t'))));
    try (Stream<Path> files = Files.list(index.resolve(IndexFormat.GLOBAL))) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        try (org.apache.avro.file.DataFileReader<org.apache.avro.generic.GenericRecord> in = new org.apache.avro.file.DataFileReader<>(
            f.toFile(), new org.apache.avro.generic.GenericDatumReader<>(IndexFormat.schema()))) {
          for (org.apache.avro.generic.GenericRecord r : in) {
            dev.sfutriage.model.Event e = IndexFormat.fromRecord(r);
            if (e.userId != null && !mapped.contains(e.userId)) {
              return e;
            }
          }
        }
      }
    }
    throw new AssertionError("the fixture day has no user whose events are all without seminar");
  }

  private static JsonNode ticket(Runs.Result r, String id) {
    return r.jsonl("tickets.jsonl").stream().filter(t -> t.path("ticket_id").asText().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no ticket " + id));
  }

  private static long partitionCount(Path index) throws IOException {
    try (Stream<Path> s = Files.list(index)) {
      return s.filter(Files::isDirectory).count();
    }
  }

  @Test
  void autoRunsASmallIndexReadInProcessAndALargerOneOnTheRunner() {
    String seminar = "--seminarId=" + AdHocTimelineTest.SEMINAR;
    assertEngine("IN_PROCESS", run("auto-small", "--fromIndex=" + nightly.dir, DATE, seminar));
    Runs.Result big = run("auto-big", "--fromIndex=" + nightly.dir, DATE, seminar, "--inProcessMaxBytes=1000");
    assertEngine("RUNNER", big);
  }

  @Test
  void inProcessForARunThatWritesBigQueryIsRefusedInOneLine() {
    Runs.Result r = Runs.run(tmp.resolve("in-process-bq"), "--fromIndex=" + nightly.dir, DATE, "--engine=IN_PROCESS",
        "--incidentsTable=proj:ds.incidents");
    assertEquals(2, r.exit, r.err);
    assertTrue(r.err.startsWith("sfu-triage: --engine=IN_PROCESS: this run cannot run in process: it writes --incidentsTable"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
  }

  private static void assertEngine(String engine, Runs.Result r) {
    String got = r.summary().path("run").path("engine").asText();
    assertEquals(engine.equals("IN_PROCESS"), got.startsWith("in process"), "summary.run.engine: " + got);
  }

  /** Every answer of an ad-hoc run and its accounting per source (dead letters stay in the nightly's, not indexed). */
  private static void sameAnswers(Runs.Result raw, Runs.Result indexed) {
    for (String f : List.of("incidents.jsonl", "problems.jsonl", "timeline.jsonl", "tickets.jsonl", "replay.sql")) {
      same(raw, indexed, f);
    }
    assertEquals(raw.summary().path("pending"), indexed.summary().path("pending"));
    for (String source : List.of("analytics", "crashlytics", "backend_logs", "webhook_jobs", "metrics")) {
      JsonNode want = raw.summary().path("sources").path(source);
      JsonNode got = indexed.summary().path("sources").path(source);
      assertEquals(want.path("used").asLong(), got.path("used").asLong(), source + " used");
    }
    assertTrue(indexed.summary().path("accounting_balanced").asBoolean());
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
    assertEquals(RunsAccess.withoutDrilldown(Runs.lines(a.dir.resolve(file)).stream().map(l -> Runs.withoutRunStart(file, l)).toList()),
        RunsAccess.withoutDrilldown(Runs.lines(b.dir.resolve(file)).stream().map(l -> Runs.withoutRunStart(file, l)).toList()), file);
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
