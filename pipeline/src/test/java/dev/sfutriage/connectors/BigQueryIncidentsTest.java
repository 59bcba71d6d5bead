package dev.sfutriage.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.sfutriage.model.Evidence;
import dev.sfutriage.model.Incident;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --incidentsTable: FILE_LOADS into the day's partition with WRITE_TRUNCATE, redacted rows. */
class BigQueryIncidentsTest {
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl";

  @Test
  void reRunningADayReplacesOnlyThatDaysPartition(@TempDir Path tmp) throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    PartitionedFakeDatasetService ds = new PartitionedFakeDatasetService("report_date");
    ds.createDataset("proj", "triage", "", "", null);
    FakeBigQueryServices bq = new FakeBigQueryServices().withDatasetService(ds).withJobService(ds.jobService());
    String name = "incidents_rerun_" + System.nanoTime();
    String table = "proj.triage." + name;
    LocalDate day1 = LocalDate.parse("2026-11-23");
    LocalDate day2 = LocalDate.parse("2026-11-24");

    write(tmp, bq, table, day1, List.of(incident("a", "token " + JWT), incident("b", "ok")));
    write(tmp, bq, table, day2, List.of(incident("c", "ok")));
    assertEquals(Map.of("2026-11-23", 2, "2026-11-24", 1), perDay(ds, table));
    write(tmp, bq, table, day1, List.of(incident("a", "token " + JWT), incident("b", "ok")));
    assertEquals(Map.of("2026-11-23", 2, "2026-11-24", 1), perDay(ds, table), "one copy of day 1, day 2 untouched");
    assertTrue(PartitionedFakeDatasetService.TRUNCATED.contains("triage." + name + "$20261123"),
        "the load truncated the day's partition: " + PartitionedFakeDatasetService.TRUNCATED);
    write(tmp, bq, table, day1, List.of(incident("d", "ok")));
    assertEquals(Map.of("2026-11-23", 1, "2026-11-24", 1), perDay(ds, table), "day 1 replaced, not merged");

    List<TableRow> rows = rows(ds, table);
    TableRow c = rows.stream().filter(r -> "c".equals(r.get("incident_id"))).findFirst().orElseThrow();
    assertEquals("2026-11-24", c.get("report_date"));
    assertEquals("media_dropped", c.get("symptom"));
    assertTrue(String.valueOf(c.get("evidence")).contains("livekit_webhook_retry"), c.toString());
  }

  @Test
  void rowsAreRedacted(@TempDir Path tmp) throws Exception {
    TableRow row = BigQueryIncidents.row(incident("a", "token " + JWT + " for jane.doe@example.com"), "2026-11-23");
    String all = row.toString();
    assertFalse(all.contains(JWT) || all.contains("eyJ"), all);
    assertFalse(all.contains("jane.doe@example.com"), all);
    assertEquals("2026-11-23", row.get("report_date"));
    assertEquals(BigQueryIncidents.schema().getFields().stream().map(f -> f.getName()).toList().size(), 17);
    assertThrows(IllegalArgumentException.class, () -> BigQueryIncidents.parse("proj.triage.t$20261123"));
    assertThrows(IllegalArgumentException.class, () -> BigQueryIncidents.parse("proj.triage"));
    assertEquals("t", BigQueryIncidents.parse("proj:triage.t").getTableId());
  }

  private static void write(Path tmp, FakeBigQueryServices bq, String table, LocalDate day, List<Incident> incidents)
      throws NoSuchSchemaException {
    PipelineOptions o = PipelineOptionsFactory.fromArgs("--project=proj", "--tempLocation=" + tmp.resolve("bq-temp"),
        "--runner=DirectRunner").create();
    Pipeline p = Pipeline.create(o);
    p.apply(Create.of(incidents).withCoder(p.getSchemaRegistry().getSchemaCoder(Incident.class)))
        .apply(new BigQueryIncidents(table, day, bq));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  private static List<TableRow> rows(FakeDatasetService ds, String spec) throws Exception {
    TableReference t = BigQueryIncidents.parse(spec);
    return ds.getAllRows(t.getProjectId(), t.getDatasetId(), t.getTableId());
  }

  private static Map<String, Integer> perDay(FakeDatasetService ds, String spec) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    for (TableRow r : rows(ds, spec)) {
      out.merge(String.valueOf(r.get("report_date")), 1, Integer::sum);
    }
    return out;
  }

  private static Incident incident(String id, String summary) {
    List<Evidence> ev = new ArrayList<>();
    ev.add(new Evidence("backend_logs", 1_795_456_931_000_000L, "livekit_webhook_retry", "attempt 2", "app.jsonl:7"));
    return new Incident(id, "media_dropped", "webhook_backlog", "sem-1", "ses-1", null, "ANDROID", "2.3.0",
        1_795_456_931_000_000L, 1_795_456_999_000_000L, "high", "Media dropped", summary, "Scale the worker",
        List.of(1, 2), ev);
  }
}
