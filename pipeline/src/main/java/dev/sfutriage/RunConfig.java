package dev.sfutriage;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.report.OutputLocation;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import dev.sfutriage.util.Times;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The options checked and resolved before any work starts: inputs matched to files, the window,
 * the scope, the rules. Every problem is a {@link UsageException} with one line saying what and where.
 */
public final class RunConfig {
  /** Sub-folders of --inputDir per source. */
  static final Map<String, String> INPUT_DIRS = Map.of(Sources.ANALYTICS, "analytics", Sources.CRASHLYTICS, "crashlytics",
      Sources.BACKEND_LOGS, "backend", Sources.WEBHOOK_JOBS, "webhook_jobs", Sources.METRICS, "metrics",
      Sources.TICKETS, "tickets");

  public final TriageOptions options;
  public final Map<String, List<String>> files;
  public final RuleSet rules;
  public final RunScope scope;
  public final @Nullable DataWindow window;
  /** --output: a local folder or one on another Beam file system (gs://...). */
  public final OutputLocation output;
  /** PostgreSQL connection for the webhook job table, or null when it is read from CSV. */
  public final @Nullable Jdbc jdbc;
  /** Analytics/Crashlytics from BigQuery, or null when they are read from files. */
  public final dev.sfutriage.connectors.BigQueryEvents.@Nullable Settings bigQuery;
  /** --incidentsTable, checked (its report_date partition is the window's first UTC day), or null. */
  public final @Nullable String incidentsTable;
  /** --fromIndex, resolved to the partitions this run reads, or null for a run from raw inputs. */
  public dev.sfutriage.index.@Nullable IndexSource index;
  /** Last night's summary (--previousSummary), or null. */
  public final com.fasterxml.jackson.databind.@Nullable JsonNode previousSummary;

  private RunConfig(TriageOptions options, Map<String, List<String>> files, RuleSet rules, RunScope scope,
      @Nullable DataWindow window, OutputLocation output, com.fasterxml.jackson.databind.@Nullable JsonNode previousSummary,
      @Nullable Jdbc jdbc, dev.sfutriage.connectors.BigQueryEvents.@Nullable Settings bigQuery) {
    this.jdbc = jdbc;
    this.bigQuery = bigQuery;
    this.incidentsTable = blank(options.getIncidentsTable());
    this.options = options;
    this.files = files;
    this.rules = rules;
    this.scope = scope;
    this.window = window;
    this.output = output;
    this.previousSummary = previousSummary;
  }

  /** A bad option or input, reported as one line and exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  public static RunConfig resolve(TriageOptions o) {
    FileSystems.setDefaultPipelineOptions(o);
    RuleSet rules;
    try {
      java.util.regex.Pattern p = java.util.regex.Pattern.compile(o.getRoomNamePattern());
      if (!p.pattern().contains("(?<seminar>") || !p.pattern().contains("(?<session>")) {
        throw new UsageException("--roomNamePattern needs the named groups (?<seminar>...) and (?<session>...)");
      }
      rules = o.getRules() == null ? RulesLoader.loadDefault(o.getRoomNamePattern())
          : RulesLoader.load(Paths.get(o.getRules()), o.getRoomNamePattern());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new UsageException("--roomNamePattern is not a valid regular expression: " + e.getDescription());
    } catch (dev.sfutriage.rules.RulesException e) {
      throw new UsageException("invalid rules: " + e.getMessage());
    }

    Map<String, String> specs = new LinkedHashMap<>();
    specs.put(Sources.ANALYTICS, o.getAnalytics());
    specs.put(Sources.CRASHLYTICS, o.getCrashlytics());
    specs.put(Sources.BACKEND_LOGS, o.getBackendLogs());
    specs.put(Sources.WEBHOOK_JOBS, o.getWebhookJobs());
    specs.put(Sources.METRICS, o.getMetrics());
    specs.put(Sources.TICKETS, o.getTickets());
    Map<String, List<String>> files = new LinkedHashMap<>();
    if (o.getInputDir() != null) {
      Path dir = Paths.get(o.getInputDir());
      if (!Files.isDirectory(dir)) {
        throw new UsageException("--inputDir: no such folder '" + o.getInputDir() + "'");
      }
      for (String src : Sources.ALL) {
        Path sub = dir.resolve(INPUT_DIRS.get(src));
        if (specs.get(src) == null && Files.isDirectory(sub)) {
          List<String> found = match(src, sub.resolve("*").toString(), true);
          if (!found.isEmpty()) {
            files.put(src, found);
          }
        }
      }
    }
    for (Map.Entry<String, String> e : specs.entrySet()) {
      if (e.getValue() != null) {
        files.put(e.getKey(), matchAll(e.getKey(), e.getValue()));
      }
    }
    Jdbc jdbc = null;
    if (o.getWebhookJobsJdbcUrl() != null) {
      if (o.getWebhookJobs() != null) {
        throw new UsageException("give either --webhookJobs (CSV) or --webhookJobsJdbcUrl (PostgreSQL), not both");
      }
      if (!o.getWebhookJobsJdbcUrl().startsWith("jdbc:postgresql:")) {
        throw new UsageException("--webhookJobsJdbcUrl: expected jdbc:postgresql://host:port/database, got '"
            + o.getWebhookJobsJdbcUrl() + "'");
      }
      files.remove(Sources.WEBHOOK_JOBS); // an --inputDir CSV is replaced by the database
      String password = o.getWebhookJobsJdbcPassword() != null ? o.getWebhookJobsJdbcPassword()
          : System.getenv("SFU_TRIAGE_JDBC_PASSWORD");
      jdbc = new Jdbc(o.getWebhookJobsJdbcUrl(), o.getWebhookJobsJdbcUser(), password);
    }
    dev.sfutriage.connectors.BigQueryEvents.Settings bigQuery = bigQuery(o, files);
    if (o.getFromIndex() != null) {
      refuseInputsBesideIndex(jdbc != null || bigQuery != null || files.keySet().stream().anyMatch(s -> !s.equals(Sources.TICKETS)));
    } else if (jdbc == null && bigQuery == null && files.keySet().stream().noneMatch(s -> !s.equals(Sources.TICKETS))) {
      throw new UsageException("no input: give --inputDir or at least one of --analytics, --crashlytics, --backendLogs, "
          + "--webhookJobs, --metrics (see --help)");
    }

    DataWindow window = window(o);
    dev.sfutriage.index.IndexSource index = index(o, rules);
    if (index != null && window == null) {
      window = index.window(); // a run from the index answers for the index's day unless told otherwise
    }
    if (blank(o.getIncidentsTable()) != null) {
      try {
        dev.sfutriage.connectors.BigQueryIncidents.parse(o.getIncidentsTable().trim());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      if (window == null) {
        throw new UsageException("--incidentsTable needs --date (or --from/--to): the run's day is the partition it replaces");
      }
    }
    if (bigQuery != null && window == null) {
      throw new UsageException("--analyticsDataset/--crashlyticsDataset need the window: give --date or --from/--to");
    }
    RunScope scope = new RunScope(window == null ? null : window.fromMicros, window == null ? null : window.toMicros,
        blank(o.getSeminarId()), blank(o.getSessionId()), blank(o.getUserId()), rules.metricsLookbackMicros);
    OutputLocation output;
    try {
      output = OutputLocation.of(o.getOutput());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    RunConfig cfg = new RunConfig(o, files, rules, scope, window, output, previousSummary(o.getPreviousSummary()), jdbc, bigQuery);
    try {
      cfg.index = index == null ? null : index.forRun(scope, files.get(Sources.TICKETS));
    } catch (dev.sfutriage.index.IndexSource.Refused e) {
      throw new UsageException(e.getMessage());
    }
    return cfg;
  }

  /** --fromIndex: the nightly's index, checked against the rules, or null (see {@link dev.sfutriage.index.IndexSource}). */
  private static dev.sfutriage.index.@Nullable IndexSource index(TriageOptions o, RuleSet rules) {
    if (blank(o.getFromIndex()) == null) {
      return null;
    }
    try {
      return dev.sfutriage.index.IndexSource.open(o.getFromIndex().trim(), rules);
    } catch (dev.sfutriage.index.IndexSource.Refused e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void refuseInputsBesideIndex(boolean others) {
    if (others) {
      throw new UsageException("--fromIndex reads the day from the index: give no other input than --tickets");
    }
  }

  /** Whether this run writes the day's index: a nightly from raw inputs (not ad-hoc, not --fromIndex). */
  public boolean writesIndex() {
    return options.getWriteIndex() && index == null && !scope.isAdHoc();
  }

  /** The BigQuery read settings, checked; the sources they give are no longer read from files. */
  private static dev.sfutriage.connectors.BigQueryEvents.@Nullable Settings bigQuery(TriageOptions o,
      Map<String, List<String>> files) {
    String analytics = blank(o.getAnalyticsDataset());
    String crashlytics = blank(o.getCrashlyticsDataset());
    if (analytics == null && crashlytics == null) {
      return null;
    }
    List<String> tables = new ArrayList<>();
    try {
      if (analytics != null) {
        if (o.getAnalytics() != null) {
          throw new UsageException("give either --analytics (NDJSON) or --analyticsDataset (BigQuery), not both");
        }
        dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--analyticsDataset", analytics);
        files.remove(Sources.ANALYTICS);
      }
      if (crashlytics != null) {
        if (o.getCrashlytics() != null) {
          throw new UsageException("give either --crashlytics (NDJSON) or --crashlyticsDataset (BigQuery), not both");
        }
        dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--crashlyticsDataset", crashlytics);
        tables.addAll(crashlyticsTables(o));
        if (tables.isEmpty()) {
          throw new UsageException("--crashlyticsDataset needs --crashlyticsTables, e.g. com_x_ANDROID,com_x_IOS");
        }
        files.remove(Sources.CRASHLYTICS);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String project = bigQueryProject(o);
    if (project == null) {
      throw new UsageException("BigQuery reads need --bigQueryProject (or --project)");
    }
    String temp = blank(o.getBigQueryTempDataset());
    if (temp == null) {
      throw new UsageException("BigQuery reads need --bigQueryTempDataset (a dataset for the query results)");
    }
    try {
      dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--bigQueryProject", project);
      dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--bigQueryTempDataset", temp);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new dev.sfutriage.connectors.BigQueryEvents.Settings(analytics, crashlytics, tables, project, temp);
  }

  /**
   * The settings of --validateQueries (which runs instead of the pipeline): every dataset the queries
   * read, checked as for a run, and the window they are bound with (default: yesterday, UTC).
   */
  public static dev.sfutriage.connectors.QueryValidation.Settings validation(TriageOptions o) {
    String project = bigQueryProject(o);
    if (project == null) {
      throw new UsageException("--validateQueries needs a Google Cloud project: give --bigQueryProject (or --project)");
    }
    String analytics = blank(o.getAnalyticsDataset());
    String crashlytics = blank(o.getCrashlyticsDataset());
    String incidents = blank(o.getIncidentsTable());
    List<String> tables = crashlyticsTables(o);
    List<String> missing = new ArrayList<>();
    if (analytics == null) {
      missing.add("--analyticsDataset");
    }
    if (crashlytics == null) {
      missing.add("--crashlyticsDataset");
    }
    if (tables.isEmpty()) {
      missing.add("--crashlyticsTables");
    }
    if (incidents == null) {
      missing.add("--incidentsTable");
    }
    if (!missing.isEmpty()) {
      throw new UsageException("--validateQueries needs the tables the queries read: give " + String.join(", ", missing));
    }
    DataWindow window = window(o);
    if (window == null) {
      LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
      window = new DataWindow(Times.toMicros(yesterday.atStartOfDay(ZoneOffset.UTC).toInstant()),
          Times.toMicros(yesterday.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
    try {
      dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--bigQueryProject", project);
      dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--analyticsDataset", analytics);
      dev.sfutriage.connectors.BigQueryQuery.validIdentifier("--crashlyticsDataset", crashlytics);
      dev.sfutriage.connectors.BigQueryIncidents.parse(incidents);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    RunScope scope = new RunScope(window.fromMicros, window.toMicros, blank(o.getSeminarId()), blank(o.getSessionId()),
        blank(o.getUserId()), 0L);
    return new dev.sfutriage.connectors.QueryValidation.Settings(project, analytics, crashlytics, tables, incidents, scope,
        blank(o.getBigQueryEndpoint()));
  }

  /** --bigQueryProject, else --project (which Beam may take from the gcloud configuration), else null. */
  private static @Nullable String bigQueryProject(TriageOptions o) {
    String project = blank(o.getBigQueryProject());
    return project != null ? project : blank(o.as(org.apache.beam.sdk.extensions.gcp.options.GcpOptions.class).getProject());
  }

  private static List<String> crashlyticsTables(TriageOptions o) {
    List<String> tables = new ArrayList<>();
    if (o.getCrashlyticsTables() != null) {
      for (String t : o.getCrashlyticsTables().split(",")) {
        if (!t.isBlank()) {
          tables.add(t.trim());
        }
      }
    }
    return tables;
  }

  /** Connection settings of the webhook job table. */
  public static final class Jdbc {
    public final String url;
    public final @Nullable String user;
    public final @Nullable String password;

    Jdbc(String url, @Nullable String user, @Nullable String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }
  }

  /** The sources this run reads, from files or tables. */
  public Set<String> givenSources() {
    Set<String> out = new LinkedHashSet<>(files.keySet());
    if (index != null) {
      out.addAll(index.sources());
    }
    if (jdbc != null) {
      out.add(Sources.WEBHOOK_JOBS);
    }
    if (bigQuery != null && bigQuery.analyticsDataset != null) {
      out.add(Sources.ANALYTICS);
    }
    if (bigQuery != null && bigQuery.crashlyticsDataset != null) {
      out.add(Sources.CRASHLYTICS);
    }
    return out;
  }

  /** Ad-hoc runs (or --timeline) write the merged timeline. */
  public boolean wantsTimeline() {
    return scope.isAdHoc() || options.getTimeline();
  }

  private static com.fasterxml.jackson.databind.@Nullable JsonNode previousSummary(@Nullable String path) {
    if (path == null) {
      return null;
    }
    byte[] bytes;
    try {
      // Last night's outputs may be on the file system tonight's go to (gs://...).
      bytes = path.contains("://") ? readAll(path) : Files.readAllBytes(Paths.get(path));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--previousSummary: cannot read '" + path + "'");
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n = dev.sfutriage.util.Json.MAPPER.readTree(bytes);
      if (n == null || !n.path("incidents").isObject()) {
        throw new UsageException("--previousSummary: '" + path + "' is not a sfu-triage summary.json (no incidents object)");
      }
      return n;
    } catch (IOException e) {
      throw new UsageException("--previousSummary: '" + path + "' is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static byte[] readAll(String file) throws IOException {
    try (java.io.InputStream in = java.nio.channels.Channels.newInputStream(
        FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId()))) {
      return in.readAllBytes();
    }
  }

  private static @Nullable DataWindow window(TriageOptions o) {
    Long from = null;
    Long to = null;
    if (o.getDate() != null) {
      try {
        LocalDate d = LocalDate.parse(o.getDate().trim());
        from = Times.toMicros(d.atStartOfDay(ZoneOffset.UTC).toInstant());
        to = Times.toMicros(d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException e) {
        throw new UsageException("--date: expected YYYY-MM-DD, got '" + o.getDate() + "'");
      }
    }
    if (o.getFrom() != null) {
      from = instant("--from", o.getFrom());
    }
    if (o.getTo() != null) {
      to = instant("--to", o.getTo());
    }
    if (from == null && to == null) {
      return null;
    }
    if (from == null || to == null) {
      throw new UsageException((from == null ? "--to" : "--from") + " needs " + (from == null ? "--from" : "--to") + " too (or use --date)");
    }
    if (from >= to) {
      throw new UsageException("--from (" + Times.iso(from) + ") is not before --to (" + Times.iso(to) + ")");
    }
    return new DataWindow(from, to);
  }

  private static long instant(String option, String value) {
    try {
      Long v = Times.micros(value);
      if (v == null) {
        throw new IllegalArgumentException("empty");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": not an ISO-8601 time: '" + value + "' (e.g. 2026-11-23T00:00:00Z)");
    }
  }

  private static List<String> matchAll(String source, String spec) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : spec.split(",")) {
      if (!part.isBlank()) {
        out.addAll(match(source, part.trim(), false));
      }
    }
    return new ArrayList<>(out);
  }

  private static List<String> match(String source, String pattern, boolean allowEmpty) {
    String option = "--" + camel(source);
    if (!pattern.contains("://") && !pattern.contains("*") && Files.isDirectory(Paths.get(pattern))) {
      pattern = Paths.get(pattern).resolve("*").toString(); // a folder means every file in it
    }
    MatchResult result;
    try {
      result = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(option + ": cannot list '" + pattern + "': " + e.getMessage());
    }
    List<String> files = new ArrayList<>();
    try {
      if (result.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : result.metadata()) {
          if (!m.resourceId().isDirectory()) {
            files.add(m.resourceId().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UsageException(option + ": cannot list '" + pattern + "': " + e.getMessage());
    }
    for (String f : files) {
      if (!f.contains("://") && !Files.isReadable(Paths.get(f))) {
        throw new UsageException(option + ": cannot read '" + f + "' (permission denied)");
      }
    }
    if (files.isEmpty() && !allowEmpty) {
      throw new UsageException(option + ": no file matches '" + pattern + "'");
    }
    files.sort(null);
    return files;
  }

  static String camel(String source) {
    switch (source) {
      case Sources.BACKEND_LOGS:
        return "backendLogs";
      case Sources.WEBHOOK_JOBS:
        return "webhookJobs";
      default:
        return source;
    }
  }

  private static @Nullable String blank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
