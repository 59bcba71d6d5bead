package dev.sfutriage.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.services.bigquery.model.TableReference;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableId;
import dev.sfutriage.RunConfig;
import dev.sfutriage.TriagePipeline;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.report.Finalize;
import dev.sfutriage.report.OutputFiles;
import dev.sfutriage.report.OutputLocation;
import dev.sfutriage.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics and Crashlytics through the BigQuery path (parameterized query → destination table →
 * EXPORT read → the NDJSON normalizers), on Beam's fake BigQuery services; and the production
 * query job's text and parameters for hostile filter values.
 */
class BigQueryPathTest {
  static final String PROJECT = "test-project";
  static final String TEMP = "triage_tmp";

  @Test
  void theFixtureDayReadFromBigQueryGivesTheIncidentsOfTheNdjsonPath(@TempDir Path tmp) throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    PartitionedFakeDatasetService ds = new PartitionedFakeDatasetService("report_date");
    FakeJobService js = ds.jobService();
    ds.createDataset(PROJECT, TEMP, "", "", null);
    ds.createDataset(PROJECT, "triage", "", "", null);
    String incidentsTable = "incidents_e2e_" + System.nanoTime();
    FakeBigQueryServices bq = new FakeBigQueryServices().withDatasetService(ds).withJobService(js);

    List<BigQueryQuery> ran = new ArrayList<>();
    QueryRunner fake = q -> {
      ran.add(q);
      try {
        // What the queries return: analytics' LiveKit rows once each; every crash row.
        List<JsonNode> rows = new ArrayList<>();
        if (q.source.equals(Sources.ANALYTICS)) {
          Set<String> seen = new LinkedHashSet<>();
          for (JsonNode r : FakeTables.ndjson(MainRun.FIXTURES.resolve("analytics"))) {
            if (r.path("event_name").asText().startsWith("livekit_") && seen.add(r.toString())) {
              rows.add(r);
            }
          }
        } else {
          rows.addAll(FakeTables.ndjson(MainRun.FIXTURES.resolve("crashlytics")));
        }
        FakeTables.load(ds, ref(q.destination), rows);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };

    Path in = MainRun.fixturesWithout(tmp.resolve("in"), "analytics", "crashlytics", "expected");
    Path out = tmp.resolve("out");
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=" + in, "--date=2026-11-23",
        "--analyticsDataset=" + PROJECT + ".analytics_123456", "--crashlyticsDataset=" + PROJECT + ".firebase_crashlytics",
        "--crashlyticsTables=com_example_seminars_ANDROID,com_example_seminars_IOS", "--bigQueryProject=" + PROJECT,
        "--bigQueryTempDataset=" + TEMP, "--project=" + PROJECT, "--tempLocation=" + tmp.resolve("bq-temp"),
        "--incidentsTable=" + PROJECT + ".triage." + incidentsTable, "--runner=FlinkRunner", "--output=" + out)
        .as(TriageOptions.class);
    RunConfig cfg = RunConfig.resolve(o);
    assertFalse(cfg.files.containsKey(Sources.ANALYTICS));
    assertTrue(cfg.givenSources().containsAll(List.of(Sources.ANALYTICS, Sources.CRASHLYTICS)));

    Pipeline p = Pipeline.create(o);
    Path parts = tmp.resolve("parts");
    TriagePipeline.build(p, cfg, parts.toString(), new Connectors(fake, bq, "run1"));
    assertEquals(List.of(Sources.ANALYTICS, Sources.CRASHLYTICS), ran.stream().map(q -> q.source).toList());
    assertEquals(TableId.of(PROJECT, TEMP, "sfu_triage_analytics_run1"), ran.get(0).destination);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    ObjectNode runInfo = Json.MAPPER.createObjectNode();
    runInfo.put("rules", "rules.yaml");
    runInfo.putObject("scope");
    OutputFiles files = new OutputFiles(OutputLocation.of(out.toString()), tmp.resolve("staging").toString());
    new Finalize(parts.toString(), files, cfg.givenSources(), runInfo, null, cfg.rules.checklist, false).run();
    files.commit();
    MainRun run = MainRun.of(out);

    assertEquals(MainRun.expectedIncidentKeys(), run.incidentKeys());
    // --incidentsTable: the same incidents, in the day's partition.
    Set<String> inTable = new java.util.TreeSet<>();
    for (com.google.api.services.bigquery.model.TableRow r : ds.getAllRows(PROJECT, "triage", incidentsTable)) {
      assertEquals("2026-11-23", r.get("report_date"));
      inTable.add((String) r.get("incident_id"));
    }
    Set<String> inFile = new java.util.TreeSet<>();
    run.jsonl("incidents.jsonl").forEach(i -> inFile.add(i.path("incident_id").asText()));
    assertEquals(inFile, inTable);

    JsonNode sources = run.summary().path("sources");
    for (String s : List.of(Sources.ANALYTICS, Sources.CRASHLYTICS)) {
      JsonNode a = sources.path(s);
      assertTrue(a.path("read").asLong() > 0, s + ": " + a);
      assertEquals(a.path("read").asLong(), a.path("dead_lettered").asLong() + a.path("duplicates").asLong()
          + a.path("filtered").asLong() + a.path("used").asLong(), s + ": " + a);
    }
    // The BigQuery path uses as many analytics and crash rows as the NDJSON path (the ground truth's accounting).
    JsonNode ndjson = MainRun.expectedAccounting();
    assertEquals(ndjson.path(Sources.ANALYTICS).path("used").asLong(), sources.path(Sources.ANALYTICS).path("used").asLong(),
        sources.toString());
    assertEquals(ndjson.path(Sources.CRASHLYTICS).path("used").asLong(), sources.path(Sources.CRASHLYTICS).path("used").asLong(),
        sources.toString());
    for (JsonNode d : run.jsonl("dead_letter.jsonl")) {
      if (d.path("source").asText().equals(Sources.CRASHLYTICS)) {
        assertTrue(d.path("location").asText().startsWith(PROJECT + ".firebase_crashlytics.*#"), d.toString());
      }
    }
  }

  @Test
  void hostileFilterValuesTravelOnlyAsNamedParameters() {
    String seminar = "x' OR 1=1 --";
    String user = "u`1`\n; DROP TABLE `p.d.t` --\r\n\"";
    String session = "s\\'\u0000`";
    RunScope scope = new RunScope(1_795_392_000_000_000L, 1_795_478_400_000_000L, seminar, session, user, 0L);
    TableId dest = TableId.of("p", "tmp", "sfu_triage_analytics_x");

    for (BigQueryQuery q : List.of(BigQueryQuery.analytics("my-project.analytics_123456", scope, dest),
        BigQueryQuery.crashlytics("my-project.firebase_crashlytics", List.of("com_x_ANDROID", "com_x_IOS'--"), scope, dest))) {
      QueryJobConfiguration job = BigQueryQueryRunner.configuration(q);
      String text = job.getQuery();
      for (String v : List.of(seminar, user, session, "com_x_IOS'--", "DROP TABLE")) {
        assertFalse(text.contains(v), q.source + " query text contains " + v);
      }
      assertFalse(text.contains("analytics_dataset.") || text.contains("crashlytics_dataset."), "placeholders replaced");
      assertTrue(text.contains("`my-project."), "dataset spliced in");
      Map<String, QueryParameterValue> named = job.getNamedParameters();
      assertEquals(seminar, named.get("seminar_id").getValue());
      assertEquals(user, named.get("user_id").getValue());
      assertEquals(session, named.get("session_id").getValue());
      assertEquals(StandardSQLTypeName.STRING, named.get("user_id").getType());
      assertEquals(StandardSQLTypeName.TIMESTAMP, named.get("from_ts").getType());
      assertEquals(StandardSQLTypeName.TIMESTAMP, named.get("to_ts").getType());
      assertFalse(job.useLegacySql());
      assertEquals(dest, job.getDestinationTable());
      assertEquals(com.google.cloud.bigquery.JobInfo.WriteDisposition.WRITE_TRUNCATE, job.getWriteDisposition());
      if (q.source.equals(Sources.ANALYTICS)) {
        assertEquals("2026-11-22", named.get("from_date").getValue());
        assertEquals("2026-11-25", named.get("to_date").getValue());
      } else {
        assertEquals(List.of("com_x_ANDROID", "com_x_IOS'--"),
            named.get("tables").getArrayValues().stream().map(QueryParameterValue::getValue).toList());
      }
    }
    // Only identifiers pass into the text, and only after validation.
    for (String bad : List.of("p.d`; DROP TABLE x", "p.d\n", "p d", "p.d` --", "")) {
      assertThrows(IllegalArgumentException.class, () -> BigQueryQuery.analytics(bad, scope, dest), bad);
      assertThrows(IllegalArgumentException.class, () -> BigQueryQuery.validIdentifier("--x", bad), bad);
    }
    // The same check stops a bad dataset option before anything runs.
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=" + MainRun.FIXTURES, "--date=2026-11-23",
        "--analyticsDataset=p.analytics_1` OR 1=1 --", "--bigQueryProject=p", "--bigQueryTempDataset=t")
        .as(TriageOptions.class);
    RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class, () -> RunConfig.resolve(o));
    assertTrue(e.getMessage().startsWith("--analyticsDataset"), e.getMessage());
  }

  static TableReference ref(TableId t) {
    return new TableReference().setProjectId(t.getProject()).setDatasetId(t.getDataset()).setTableId(t.getTable());
  }
}
