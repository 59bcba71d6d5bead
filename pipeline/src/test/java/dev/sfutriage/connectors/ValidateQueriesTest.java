package dev.sfutriage.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sfutriage.RunConfig;
import dev.sfutriage.SfuTriage;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --validateQueries against a fake BigQuery REST endpoint (jobs.insert): every file of
 * queries/bigquery/ is sent as a standard-SQL dry run with its values as typed named parameters,
 * each answer is one line, and the exit code says whether all were valid.
 */
class ValidateQueriesTest {
  static final Path QUERIES = Path.of("..", "queries", "bigquery");
  static final String SEMINAR = "x' OR 1=1 --";
  /** The types the queries' parameters are bound with. */
  static final Map<String, String> TYPES = Map.of("from_date", "DATE", "to_date", "DATE", "from_ts", "TIMESTAMP",
      "to_ts", "TIMESTAMP", "seminar_id", "STRING", "session_id", "STRING", "user_id", "STRING", "tables", "ARRAY",
      "symptom", "STRING", "top_n", "INT64");

  FakeBigQuery bq;

  @BeforeEach
  void start() throws IOException {
    bq = new FakeBigQuery();
  }

  @AfterEach
  void stop() {
    bq.close();
  }

  @Test
  void everyQueryIsDryRunWithTypedNamedParametersAndAnInvalidOneFailsTheRun() throws IOException {
    bq.failing.put("report_weekly_trend.sql", "Unrecognized name: week_begin at [97:3]");
    Outcome r = validate("--seminarId=" + SEMINAR);

    assertEquals(1, r.exit, r.err);
    assertEquals(sqlFiles(), new TreeSet<>(bq.requests.stream().map(FakeBigQuery::file).toList()),
        "every file of queries/bigquery was sent");
    assertEquals(sqlFiles().size(), bq.requests.size(), "each once");
    for (JsonNode req : bq.requests) {
      String file = FakeBigQuery.file(req);
      assertEquals("POST /bigquery/v2/projects/my-project/jobs", req.path("_request").asText(), file);
      JsonNode config = req.path("configuration");
      assertTrue(config.path("dryRun").asBoolean(), file + ": dryRun");
      JsonNode query = config.path("query");
      assertFalse(query.path("useLegacySql").asBoolean(true), file + ": standard SQL");
      assertTrue(query.path("destinationTable").isMissingNode(), file + ": a dry run writes nowhere");
      assertTrue(query.path("parameterMode").isMissingNode() || query.path("parameterMode").asText().equals("NAMED"), file);
      String sql = query.path("query").asText();

      // Every @name the SQL uses is bound by name with a type; nothing else is bound.
      Map<String, JsonNode> params = new TreeMap<>();
      query.path("queryParameters").forEach(p -> params.put(p.path("name").asText(), p));
      assertEquals(referencedParameters(sql), params.keySet(), file);
      params.forEach((name, p) -> assertEquals(TYPES.get(name), p.path("parameterType").path("type").asText(),
          file + " @" + name));
      // Values travel only as parameters: none of them is in the text.
      assertFalse(sql.contains(SEMINAR) || sql.contains("2026-11-2") || sql.contains("'com_x_"), file);
      assertFalse(sql.contains("`analytics_dataset.") || sql.contains("`crashlytics_dataset.")
          || sql.contains("`triage_dataset."), file + ": placeholders replaced");
    }
    JsonNode analytics = bq.request("analytics_livekit_events.sql");
    assertTrue(query(analytics).contains("`my-project.analytics_123456.events_*`"));
    assertEquals("2026-11-23 00:00:00.000000+00:00", value(analytics, "from_ts"));
    assertEquals("2026-11-24 00:00:00.000000+00:00", value(analytics, "to_ts"));
    assertEquals("2026-11-22", value(analytics, "from_date"), "one export day either side, as the pipeline binds it");
    assertEquals(SEMINAR, value(analytics, "seminar_id"));
    assertTrue(param(analytics, "user_id").path("parameterValue").path("value").isMissingNode(), "NULL = no filter");
    JsonNode crashlytics = bq.request("crashlytics_livekit_events.sql");
    assertTrue(query(crashlytics).contains("`my-project.firebase_crashlytics.*`"));
    List<String> tables = new ArrayList<>();
    param(crashlytics, "tables").path("parameterValue").path("arrayValues").forEach(v -> tables.add(v.path("value").asText()));
    assertEquals(List.of("com_x_ANDROID", "com_x_IOS"), tables);
    assertEquals("STRING", param(crashlytics, "tables").path("parameterType").path("arrayType").path("type").asText());
    for (String report : List.of("report_top_seminars.sql", "report_weekly_trend.sql")) {
      JsonNode req = bq.request(report);
      assertTrue(query(req).contains("`my-project.sfu_triage.incidents`"), report);
      assertEquals("2026-11-23", value(req, "from_date"), report + ": the window's first day");
      assertEquals("2026-11-23", value(req, "to_date"), report + ": the window's last day");
    }

    // One line per query: the valid ones with their estimate, the invalid one with BigQuery's message.
    List<String> lines = r.out.lines().toList();
    assertEquals(sqlFiles().size(), lines.size(), r.out);
    for (String file : sqlFiles()) {
      String line = lines.stream().filter(l -> l.startsWith(file + " ")).findFirst().orElseThrow(() -> new AssertionError(file));
      if (file.equals("report_weekly_trend.sql")) {
        assertTrue(line.matches("report_weekly_trend\\.sql +INVALID +Unrecognized name: week_begin at \\[97:3\\]"), line);
      } else {
        assertTrue(line.matches(Pattern.quote(file) + " +OK +would process .*\\(" + FakeBigQuery.bytes(file) + " bytes\\)"),
            line);
      }
    }
    assertFalse(r.err.contains("sfu-triage:"), r.err);
  }

  @Test
  void allValidIsExitZeroWithTheEstimates() {
    Outcome r = validate();
    assertEquals(0, r.exit, r.err);
    List<String> lines = r.out.lines().toList();
    assertEquals(sqlFiles().size(), lines.size(), r.out);
    assertTrue(lines.stream().anyMatch(l -> l.matches("analytics_livekit_events\\.sql +OK +would process 5\\.0 GB \\(5368709120 bytes\\)")),
        r.out);
    assertTrue(lines.stream().allMatch(l -> l.contains(" OK ")), r.out);
  }

  @Test
  void withoutCredentialsItIsOneLineAndExitTwoAndNothingIsSent() {
    TriageOptions o = PipelineOptionsFactory.fromArgs(args().toArray(new String[0])).as(TriageOptions.class);
    QueryValidation.Settings settings = RunConfig.validation(o);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = QueryValidation.run(settings, () -> {
      // What GoogleCredentials.getApplicationDefault() throws on a machine without any.
      throw new IOException("Your default credentials were not found. To set up Application Default Credentials for "
          + "your environment, see https://cloud.google.com/docs/authentication/external/set-up-adc.");
    }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(2, exit);
    assertEquals("sfu-triage: --validateQueries needs Google credentials: Your default credentials were not found. "
        + "To set up Application Default Credentials for your environment, see "
        + "https://cloud.google.com/docs/authentication/external/set-up-adc. "
        + "(gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS)", err.toString(StandardCharsets.UTF_8).strip());
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), bq.requests);
  }

  @Test
  void missingTablesAreAUsageErrorBeforeAnythingIsSent() {
    Outcome r = run(List.of("--validateQueries", "--bigQueryProject=my-project", "--bigQueryEndpoint=" + bq.endpoint(),
        "--analyticsDataset=my-project.analytics_123456"));
    assertEquals(2, r.exit);
    assertEquals("sfu-triage: --validateQueries needs the tables the queries read: give --crashlyticsDataset, "
        + "--crashlyticsTables, --incidentsTable", r.err.strip());
    assertEquals(List.of(), bq.requests);
  }

  private List<String> args(String... extra) {
    List<String> args = new ArrayList<>(List.of("--validateQueries", "--bigQueryProject=my-project",
        "--bigQueryEndpoint=" + bq.endpoint(), "--date=2026-11-23", "--analyticsDataset=my-project.analytics_123456",
        "--crashlyticsDataset=my-project.firebase_crashlytics", "--crashlyticsTables=com_x_ANDROID,com_x_IOS",
        "--incidentsTable=my-project.sfu_triage.incidents"));
    args.addAll(List.of(extra));
    return args;
  }

  private Outcome validate(String... extra) {
    return run(args(extra));
  }

  private static Outcome run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = SfuTriage.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  record Outcome(int exit, String out, String err) {}

  static Set<String> sqlFiles() {
    try (Stream<Path> s = Files.list(QUERIES)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The @names used outside comments. */
  static Set<String> referencedParameters(String sql) {
    Set<String> out = new TreeSet<>();
    for (String line : sql.split("\n")) {
      int comment = line.indexOf("--");
      Matcher m = Pattern.compile("@([A-Za-z_][A-Za-z0-9_]*)").matcher(comment >= 0 ? line.substring(0, comment) : line);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  static String query(JsonNode req) {
    return req.path("configuration").path("query").path("query").asText();
  }

  static JsonNode param(JsonNode req, String name) {
    for (JsonNode p : req.path("configuration").path("query").path("queryParameters")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no parameter @" + name);
  }

  static String value(JsonNode req, String name) {
    return param(req, name).path("parameterValue").path("value").asText();
  }

  /**
   * BigQuery's jobs.insert as far as a dry run goes: records each request body; answers a job with
   * the query's statistics, or a 400 invalidQuery error for the files in {@link #failing}. A job
   * lookup gets 404, as for any dry run (BigQuery does not keep them).
   */
  static final class FakeBigQuery implements AutoCloseable {
    final HttpServer server;
    final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> failing = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> lookups = Collections.synchronizedList(new ArrayList<>());

    FakeBigQuery() throws IOException {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    String endpoint() {
      return "http://localhost:" + server.getAddress().getPort();
    }

    /** The estimate answered for a file: fixed per file, so the lines can be checked. */
    static long bytes(String file) {
      return switch (file) {
        case "analytics_livekit_events.sql" -> 5L << 30;
        case "crashlytics_livekit_events.sql" -> 73_400_320L;
        case "report_top_seminars.sql" -> 12_288L;
        default -> 0L;
      };
    }

    /** The file a request's query came from (each file starts with "-- <its name>"). */
    static String file(JsonNode req) {
      return query(req).lines().findFirst().orElse("").replaceFirst("^-- ", "").strip();
    }

    JsonNode request(String file) {
      return requests.stream().filter(r -> file(r).equals(file)).findFirst().orElseThrow(() -> new AssertionError(file));
    }

    private void handle(HttpExchange ex) throws IOException {
      if (!ex.getRequestMethod().equals("POST")) {
        // After a failed insert the client looks the job up (jobs.get): a dry run is never stored.
        lookups.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        answer(ex, 404, Json.MAPPER.createObjectNode().set("error", Json.MAPPER.createObjectNode().put("code", 404)
            .put("message", "Not found: Job").put("status", "NOT_FOUND")));
        return;
      }
      InputStream in = ex.getRequestBody();
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      byte[] body = in.readAllBytes();
      ObjectNode req = body.length == 0 ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.MAPPER.readTree(body);
      req.put("_request", ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
      requests.add(req);
      String file = file(req);
      ObjectNode answer = Json.MAPPER.createObjectNode();
      int status;
      if (failing.containsKey(file)) {
        status = 400;
        ObjectNode error = answer.putObject("error");
        error.put("code", 400);
        error.put("message", failing.get(file));
        ObjectNode e = error.putArray("errors").addObject();
        e.put("message", failing.get(file));
        e.put("domain", "global");
        e.put("reason", "invalidQuery");
        e.put("location", "q");
        e.put("locationType", "parameter");
        error.put("status", "INVALID_ARGUMENT");
      } else {
        status = 200;
        answer.put("kind", "bigquery#job");
        answer.set("configuration", req.path("configuration"));
        answer.putObject("jobReference").put("projectId", "my-project").put("location", "US");
        ObjectNode stats = answer.putObject("statistics");
        stats.put("creationTime", "1795478400000");
        stats.put("totalBytesProcessed", Long.toString(bytes(file)));
        stats.putObject("query").put("totalBytesProcessed", Long.toString(bytes(file))).put("totalBytesBilled", "0")
            .put("cacheHit", false).put("statementType", "SELECT");
        answer.putObject("status").put("state", "DONE");
      }
      answer(ex, status, answer);
    }

    private static void answer(HttpExchange ex, int status, JsonNode answer) throws IOException {
      byte[] out = Json.MAPPER.writeValueAsBytes(answer);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
