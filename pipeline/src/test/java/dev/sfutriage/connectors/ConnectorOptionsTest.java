package dev.sfutriage.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableRow;
import dev.sfutriage.RunConfig;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.IngestConfig;
import dev.sfutriage.read.RecordSink;
import dev.sfutriage.rules.RulesLoader;
import dev.sfutriage.util.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connector options checked before any work, and BigQuery rows as BigQueryIO hands them over. */
class ConnectorOptionsTest {
  private static final String BQ = "--bigQueryProject=p --bigQueryTempDataset=tmp";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--date=2026-11-23 --analyticsDataset=p.analytics_1 --analytics=../fixtures/analytics " + BQ + "|give either --analytics",
      "--date=2026-11-23 --crashlyticsDataset=p.firebase_crashlytics " + BQ + "|--crashlyticsDataset needs --crashlyticsTables",
      "--analyticsDataset=p.analytics_1 " + BQ + "|--analyticsDataset/--crashlyticsDataset need the window",
      "--date=2026-11-23 --analyticsDataset=p.analytics_1 --bigQueryTempDataset=tmp|BigQuery reads need --bigQueryProject",
      "--date=2026-11-23 --analyticsDataset=p.analytics_1 --bigQueryProject=p|BigQuery reads need --bigQueryTempDataset",
      "--date=2026-11-23 --analyticsDataset=p.analytics_1 --bigQueryProject=p --bigQueryTempDataset=t`x|--bigQueryTempDataset: not a BigQuery",
      "--incidentsTable=p.d.t|--incidentsTable needs --date",
      "--date=2026-11-23 --incidentsTable=p.d|--incidentsTable: expected <project>.<dataset>.<table>",
      "--date=2026-11-23 --incidentsTable=p.d.t$20261123|--incidentsTable: expected",
  })
  void badConnectorOptionsAreUsageErrors(String args, String message) {
    List<String> all = new ArrayList<>(List.of("--inputDir=" + MainRun.FIXTURES));
    all.addAll(List.of(args.split(" ")));
    TriageOptions o = PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(TriageOptions.class);
    RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class, () -> RunConfig.resolve(o));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void datasetsReplaceTheInputDirFilesOfTheirSources() {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=" + MainRun.FIXTURES, "--date=2026-11-23",
        "--crashlyticsDataset=p.firebase_crashlytics", "--crashlyticsTables=a_ANDROID, a_IOS", "--project=p",
        "--bigQueryTempDataset=tmp").as(TriageOptions.class);
    RunConfig cfg = RunConfig.resolve(o);
    assertNull(cfg.files.get(Sources.CRASHLYTICS));
    assertNotNull(cfg.files.get(Sources.ANALYTICS));
    assertEquals(List.of("a_ANDROID", "a_IOS"), cfg.bigQuery.crashlyticsTables);
    assertEquals("p", cfg.bigQuery.project, "--project when --bigQueryProject is absent");
    assertTrue(cfg.givenSources().contains(Sources.CRASHLYTICS));
  }

  @Test
  void theJdbcPasswordIsNeverSerializedWithThePipelineOptions() throws Exception {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=" + MainRun.FIXTURES,
        "--webhookJobsJdbcUrl=jdbc:postgresql://db.internal/app", "--webhookJobsJdbcUser=triage",
        "--webhookJobsJdbcPassword=s3cret-Hunter2").as(TriageOptions.class);
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper().registerModules(
        com.fasterxml.jackson.databind.ObjectMapper.findModules(org.apache.beam.sdk.util.common.ReflectHelpers.findClassLoader()));
    String json = mapper.writeValueAsString(o);
    assertTrue(json.contains("db.internal"), json);
    assertTrue(!json.contains("s3cret-Hunter2") && !json.contains("webhookJobsJdbcPassword"), json);
    RunConfig cfg = RunConfig.resolve(o); // resolving does not contact the database: RunConfig.probeConnectors does
    assertEquals("s3cret-Hunter2", cfg.jdbc.password, "the run itself still has it");
    assertEquals("db.internal:5432", cfg.jdbc.hostPort(), "PostgreSQL's default port when the URL names none");
    assertNull(cfg.files.get(Sources.WEBHOOK_JOBS), "the database replaces the --inputDir CSV");
  }

  @Test
  void anUnreachableDatabaseIsAConnectorErrorNamingHostAndPort() {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=" + MainRun.FIXTURES,
        "--webhookJobsJdbcUrl=jdbc:postgresql://127.0.0.1:1/app?sslmode=disable").as(TriageOptions.class);
    RunConfig cfg = RunConfig.resolve(o);
    dev.sfutriage.JdbcConfig.ConnectorException e = assertThrows(dev.sfutriage.JdbcConfig.ConnectorException.class,
        cfg::probeConnectors);
    assertTrue(e.getMessage().startsWith("--webhookJobsJdbcUrl: cannot connect to PostgreSQL at 127.0.0.1:1: "), e.getMessage());
    assertNotNull(e.getCause(), "the driver's exception goes to the error log");
  }

  /** Cells as BigQueryIO's EXPORT read gives them: INT64 as text, TIMESTAMP as "yyyy-MM-dd HH:mm:ss[.SSS] UTC". */
  @Test
  void tableRowsAsBigQueryIoGivesThemGoThroughTheNormalizers() {
    IngestConfig ingest = RulesLoader.loadDefault(new TriageOptionsDefaults().roomNamePattern).ingest;
    TableRow crash = new TableRow().set("event_id", "e1").set("platform", "ANDROID")
        .set("event_timestamp", "2026-11-23 18:02:11.412 UTC").set("received_timestamp", "2026-11-23 18:02:12 UTC")
        .set("user", new TableRow().set("id", "usr_1"))
        .set("custom_keys", List.of(new TableRow().set("key", "seminar_id").set("value", "sem-1"),
            new TableRow().set("key", "flutter_error_reason").set("value", "thrown livekit_connect_with_token_failed")));
    Sink crashes = parse(new BigQueryEvents.TableRowParser(Sources.CRASHLYTICS, "p.firebase_crashlytics.*", ingest), crash);
    assertEquals(1, crashes.accepted.size(), crashes.toString());
    Event e = crashes.accepted.get(0);
    assertEquals("p.firebase_crashlytics.*#e1", e.location);
    assertEquals("sem-1", e.seminarId);
    assertEquals("e1", crashes.keys.get(0));

    TableRow ga = new TableRow().set("event_name", "livekit_connect_failed").set("event_timestamp", "1795456931412000")
        .set("user_id", "usr_1").set("event_server_timestamp_offset", "1200")
        .set("event_params", List.of(new TableRow().set("key", "seminar_id")
            .set("value", new TableRow().set("string_value", "sem-1").set("int_value", null))));
    Sink events = parse(new BigQueryEvents.TableRowParser(Sources.ANALYTICS, "p.analytics_1.events_*", ingest), ga);
    assertEquals(1, events.accepted.size(), events.toString());
    assertTrue(events.accepted.get(0).location.startsWith("p.analytics_1.events_*#"), events.accepted.get(0).location);
    assertEquals("sem-1", events.accepted.get(0).seminarId);

    Sink bad = parse(new BigQueryEvents.TableRowParser(Sources.ANALYTICS, "p.analytics_1.events_*", ingest),
        new TableRow().set("event_timestamp", "1"));
    assertEquals(1, bad.dead.size());
    assertTrue(bad.dead.get(0).startsWith("p.analytics_1.events_*#"), bad.dead.get(0));
    assertEquals(Times.micros("2026-11-23T18:02:11.412Z"), Times.micros("2026-11-23 18:02:11.412 UTC"));
  }

  private static Sink parse(BigQueryEvents.TableRowParser parser, TableRow row) {
    Sink s = new Sink();
    parser.parse(row, s);
    return s;
  }

  /** The default of --roomNamePattern. */
  private static final class TriageOptionsDefaults {
    final String roomNamePattern = PipelineOptionsFactory.create().as(TriageOptions.class).getRoomNamePattern();
  }

  private static final class Sink implements RecordSink<Event> {
    final List<Event> accepted = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<String> dead = new ArrayList<>();
    final List<String> filtered = new ArrayList<>();

    @Override
    public void accept(Event value, String dedupeKey) {
      accepted.add(value);
      keys.add(dedupeKey);
    }

    @Override
    public void filtered(String reason) {
      filtered.add(reason);
    }

    @Override
    public void deadLetter(String location, String reason, String raw) {
      dead.add(location + " " + reason);
    }

    @Override
    public String toString() {
      return Map.of("accepted", accepted, "filtered", filtered, "dead", dead).toString();
    }
  }
}
