package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** The in-process engine (what a small day gets by default) writes what the runner writes, the index too. */
  @Test
  void inProcessAndFlinkWriteByteIdenticalOutputsAndTheSameIndex() throws IOException {
    Runs.Result local = Runs.nightly(tmp.resolve("in-process"), TICKETS, "--engine=IN_PROCESS");
    assertTrue(local.summary().path("run").path("engine").asText().startsWith("in process"), local.summary().path("run").toString());
    assertSameOutputs(local, flink());
    assertEquals(indexRecords(flink().dir), indexRecords(local.dir));
  }

  @Test
  void aSmallDayWithoutARunnerNamedRunsInProcessAndANamedRunnerIsUsed() {
    assertTrue(Runs.nightly(tmp.resolve("auto"), "--allowEmpty=true", "--from=2026-11-23T10:00:00Z", "--to=2026-11-23T10:05:00Z")
        .summary().path("run").path("engine").asText().startsWith("in process"));
    assertEquals("FlinkRunner", flink().summary().path("run").path("engine").asText());
  }

  /** Every partition's records, as text, sorted (a partition's order is the writer's). */
  private static java.util.Map<String, List<String>> indexRecords(Path output) throws IOException {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    Path index = output.resolve(dev.sfutriage.index.IndexFormat.DIR);
    try (java.util.stream.Stream<Path> files = Files.walk(index)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".avro"))::iterator) {
        List<String> records = new java.util.ArrayList<>();
        try (org.apache.avro.file.DataFileReader<org.apache.avro.generic.GenericRecord> r = new org.apache.avro.file.DataFileReader<>(
            f.toFile(), new org.apache.avro.generic.GenericDatumReader<>())) {
          r.forEach(rec -> records.add(rec.toString()));
        }
        records.sort(null);
        out.put(index.relativize(f).toString(), records);
      }
    }
    assertFalse(out.isEmpty(), "an index was written");
    return out;
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
    return summary.replaceAll("\"started_at\" *: *\"[^\"]*\"", "").replaceAll("\"runner\" *: *\"[^\"]*\"", "")
        .replaceAll("\"engine\" *: *\"[^\"]*\"", "");
  }
}
