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
 * The same pipeline on the DirectRunner (with its immutability and encodability checks on) and on
 * the embedded Flink runner gives byte-identical outputs on the fixture day: the answer does not
 * depend on the runner, its bundling or its parallelism.
 */
class RunnerParityTest {
  @TempDir Path tmp;

  @Test
  void directAndFlinkWriteByteIdenticalIncidentsAndSummary() throws IOException {
    String tickets = "--tickets=" + Runs.FIXTURES.resolve("tickets");
    Runs.Result direct = Runs.nightly(tmp.resolve("direct"), tickets, "--runner=DirectRunner",
        "--enforceImmutability=true", "--enforceEncodability=true");
    Runs.Result flink = Runs.nightly(tmp.resolve("flink"), tickets, "--runner=FlinkRunner", "--parallelism=2");

    List<String> incidents = Files.readAllLines(direct.dir.resolve("incidents.jsonl"));
    assertFalse(incidents.isEmpty(), "the fixture day has incidents");
    for (String name : List.of("incidents.jsonl", "incidents.csv", "dead_letter.jsonl", "tickets.jsonl", "replay.sql",
        "report.md")) {
      assertEquals(Files.readString(direct.dir.resolve(name)), Files.readString(flink.dir.resolve(name)), name);
    }
    // summary.json differs only in its one wall-clock field and the runner's name
    assertEquals(withoutRunFields(Files.readString(direct.dir.resolve("summary.json"))),
        withoutRunFields(Files.readString(flink.dir.resolve("summary.json"))));
  }

  private static String withoutRunFields(String summary) {
    return summary.replaceAll("\"started_at\" *: *\"[^\"]*\"", "").replaceAll("\"runner\" *: *\"[^\"]*\"", "");
  }
}
