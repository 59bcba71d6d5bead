package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same pipeline on the DirectRunner (with its immutability and encodability checks on), on
 * the embedded Flink runner and on Spark in local mode gives byte-identical outputs on the fixture
 * day: the answer does not depend on the runner, its bundling or its parallelism.
 */
class RunnerParityTest {
  @TempDir static Path tmp;
  private static Runs.Result flink;

  private static final String TICKETS = "--tickets=" + Runs.FIXTURES.resolve("tickets");

  /** One Flink run serves as the reference for every other runner. */
  private static synchronized Runs.Result flink() {
    if (flink == null) {
      flink = Runs.nightly(tmp.resolve("flink"), TICKETS, "--runner=FlinkRunner", "--parallelism=2");
    }
    return flink;
  }

  @Test
  void directAndFlinkWriteByteIdenticalIncidentsAndSummary() throws IOException {
    Runs.Result direct = Runs.nightly(tmp.resolve("direct"), TICKETS, "--runner=DirectRunner",
        "--enforceImmutability=true", "--enforceEncodability=true");
    assertSameOutputs(direct, flink());
  }

  @Test
  void sparkLocalAndFlinkWriteByteIdenticalIncidentsAndSummary() throws IOException {
    Runs.Result spark = Runs.nightly(tmp.resolve("spark"), TICKETS, "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertSameOutputs(spark, flink());
  }

  private static void assertSameOutputs(Runs.Result a, Runs.Result b) throws IOException {
    List<String> incidents = Files.readAllLines(a.dir.resolve("incidents.jsonl"));
    assertFalse(incidents.isEmpty(), "the fixture day has incidents");
    for (String name : List.of("incidents.jsonl", "incidents.csv", "dead_letter.jsonl", "tickets.jsonl", "replay.sql",
        "report.md")) {
      assertEquals(Runs.withoutRunStart(name, Files.readString(a.dir.resolve(name))),
          Runs.withoutRunStart(name, Files.readString(b.dir.resolve(name))), name);
    }
    // summary.json differs only in its one wall-clock field and the runner's name
    assertEquals(withoutRunFields(Files.readString(a.dir.resolve("summary.json"))),
        withoutRunFields(Files.readString(b.dir.resolve("summary.json"))));
  }

  private static String withoutRunFields(String summary) {
    return summary.replaceAll("\"started_at\" *: *\"[^\"]*\"", "").replaceAll("\"runner\" *: *\"[^\"]*\"", "");
  }
}
