package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.RunConfig;
import dev.sfutriage.e2e.FakeGcsFileSystem;
import dev.sfutriage.options.TriageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outputs on a local folder and on another Beam file system (the tests' fakegcs://, GCS-like):
 * where the run stages, what a commit replaces and in which order, what is left afterwards.
 */
class OutputFilesTest {
  @TempDir Path tmp;

  @BeforeEach
  void fileSystems() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    FakeGcsFileSystem.useRoot(tmp.resolve("gcs"));
  }

  @Test
  void theRunStagesBesideTheOutputOnItsFileSystem() {
    OutputLocation gcs = OutputLocation.of("fakegcs://bucket/reports/2026-11-23/");
    assertFalse(gcs.isLocal());
    assertEquals("fakegcs://bucket/reports/2026-11-23/summary.json", gcs.file("summary.json"));
    assertTrue(gcs.newStaging().matches("fakegcs://bucket/reports/\\.2026-11-23\\.staging-[0-9a-f]{8}"), gcs.newStaging());

    OutputLocation local = OutputLocation.of("out/nightly");
    assertTrue(local.isLocal());
    assertEquals(Path.of("out/nightly/summary.json").toString(), local.file("summary.json"));
    Path staging = Path.of(local.newStaging());
    assertTrue(staging.isAbsolute());
    assertEquals(Path.of("out").toAbsolutePath(), staging.getParent());
    assertTrue(staging.getFileName().toString().matches("\\.nightly\\.staging-[0-9a-f]{8}-pid\\d+-t\\d+"), staging.toString());

    assertTrue(OutputLocation.of("file://" + tmp.resolve("day")).isLocal());
  }

  @Test
  void anUnknownSchemeOrABucketWithoutAFolderIsAUsageError() {
    RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class, () -> resolve("--output=nosuch://bucket/day"));
    assertTrue(e.getMessage().startsWith("--output: ") && e.getMessage().contains("nosuch"), e.getMessage());
    e = assertThrows(RunConfig.UsageException.class, () -> resolve("--output=fakegcs://bucket/"));
    assertEquals("--output: give a folder inside the bucket, e.g. fakegcs://bucket/reports/2026-11-23, got 'fakegcs://bucket/'",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "fakegcs"})
  void aCommitReplacesTheSetRemovesStaleOutputsAndLeavesNoStaging(String where) throws IOException {
    Path parent = where.equals("local") ? tmp.resolve("local/reports") : tmp.resolve("gcs/bucket/reports");
    Path day = parent.resolve("day");
    Files.createDirectories(day);
    Files.writeString(day.resolve("summary.json"), "{\"old\":true}\n");
    Files.writeString(day.resolve("timeline.md"), "an earlier ad-hoc run's\n");
    Files.writeString(day.resolve("incidents.jsonl"), "old\n");
    Files.writeString(day.resolve("notes.txt"), "not ours\n");
    OutputLocation out = OutputLocation.of(where.equals("local") ? day.toString() : "fakegcs://bucket/reports/day");
    String staging = out.newStaging();
    FakeGcsFileSystem.log.clear();

    OutputFiles files = new OutputFiles(out, staging + "/final");
    files.writeLines("incidents.jsonl", List.of("{\"a\":1}", "{\"contact\":\"jane.doe@example.com\"}"));
    files.write("summary.json", "{\"new\":true}\n");
    files.write("report.md", "# report\n");
    List<String> written = files.commit();
    out.deleteStaging(staging);

    assertEquals(List.of(out.file("incidents.jsonl"), out.file("report.md"), out.file("summary.json")), written,
        "summary.json last");
    assertEquals(List.of("incidents.jsonl", "notes.txt", "report.md", "summary.json"), visible(day), "timeline.md was stale");
    assertEquals("{\"new\":true}\n", Files.readString(day.resolve("summary.json")));
    String incidents = Files.readString(day.resolve("incidents.jsonl"));
    // Written as given: the values were redacted before encoding (Finalize; PlantedSecretsTest), not the bytes here.
    assertEquals("{\"a\":1}\n{\"contact\":\"jane.doe@example.com\"}\n", incidents);
    assertEquals(List.of("day"), names(parent), "no staging left");

    if (where.equals("local")) {
      assertEquals(List.of(".current", ".sets"), names(day).stream().filter(n -> n.startsWith(".")).toList());
      assertEquals(Path.of(".current", "summary.json"), Files.readSymbolicLink(day.resolve("summary.json")),
          "the outputs are symlinks through the one pointer the commit switches");
      try (Stream<Path> sets = Files.list(day.resolve(".sets"))) {
        assertEquals(List.of(day.resolve(".current").toRealPath()), sets.map(p -> {
          try {
            return p.toRealPath();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).toList(), "one set: the current one; the adopted plain files of the earlier version are gone");
      }
    }
    if (where.equals("fakegcs")) {
      List<String> log = List.copyOf(FakeGcsFileSystem.log);
      List<String> intoDay = log.stream().filter(l -> l.startsWith("copy bucket/reports/day/")).toList();
      assertEquals(List.of("copy bucket/reports/day/incidents.jsonl", "copy bucket/reports/day/report.md",
          "copy bucket/reports/day/summary.json"), intoDay, "moved in one by one, summary.json last: " + log);
      assertTrue(log.indexOf("delete bucket/reports/day/summary.json") < log.indexOf(intoDay.get(0)),
          "last night's summary.json goes before anything new arrives: " + log);
      assertTrue(log.stream().filter(l -> l.startsWith("create ")).allMatch(l -> l.matches(
          "create bucket/reports/\\.day\\.staging-[0-9a-f]{8}/final/[a-z_.]+")), "written in the staging folder: " + log);
    }
  }

  @Test
  void lastNightsSummaryIsReadFromTheOutputsFileSystem() throws IOException {
    Path yesterday = tmp.resolve("gcs/bucket/reports/2026-11-22");
    Files.createDirectories(yesterday);
    Files.writeString(yesterday.resolve("summary.json"), "{\"incidents\":{\"media_dropped\":{\"unknown\":2}}}");
    RunConfig cfg = resolve("--previousSummary=fakegcs://bucket/reports/2026-11-22/summary.json");
    assertEquals(2, cfg.previousSummary.path("incidents").path("media_dropped").path("unknown").asInt());

    RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class,
        () -> resolve("--previousSummary=fakegcs://bucket/reports/2026-11-21/summary.json"));
    assertEquals("--previousSummary: cannot read 'fakegcs://bucket/reports/2026-11-21/summary.json'", e.getMessage());
  }

  @Test
  void anInputDirOnAnotherFileSystemFillsEverySourceLikeALocalOne() throws IOException {
    Path day = tmp.resolve("gcs/bucket/exports/2026-11-23");
    for (String sub : List.of("analytics", "backend", "webhook_jobs", "metrics", "tickets", "crashlytics")) {
      Files.createDirectories(day.resolve(sub));
      try (Stream<Path> files = Files.list(Path.of("../fixtures", sub))) {
        for (Path f : files.toList()) {
          Files.copy(f, day.resolve(sub).resolve(f.getFileName()));
        }
      }
    }
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=fakegcs://bucket/exports/2026-11-23/", "--date=2026-11-23")
        .as(TriageOptions.class);
    RunConfig cfg = RunConfig.resolve(o);
    assertEquals(List.of("analytics", "crashlytics", "backend_logs", "webhook_jobs", "metrics", "tickets"),
        List.copyOf(cfg.files.keySet()));
    assertEquals(List.of("fakegcs://bucket/exports/2026-11-23/backend/app-2026-11-23.jsonl",
        "fakegcs://bucket/exports/2026-11-23/backend/cloud-logging-2026-11-23.json.gz"), cfg.files.get("backend_logs"));

    TriageOptions empty = PipelineOptionsFactory.fromArgs("--inputDir=fakegcs://bucket/nothing-here").as(TriageOptions.class);
    RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class, () -> RunConfig.resolve(empty));
    assertTrue(e.getMessage().startsWith("--inputDir: no file in any of [analytics, backend, crashlytics, metrics, tickets,"
        + " webhook_jobs] under 'fakegcs://bucket/nothing-here'"), e.getMessage());
  }

  private static RunConfig resolve(String arg) {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=../fixtures", "--date=2026-11-23", arg)
        .as(TriageOptions.class);
    return RunConfig.resolve(o);
  }

  private static List<String> visible(Path dir) throws IOException {
    return names(dir).stream().filter(n -> !n.startsWith(".")).toList();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
