package dev.sfutriage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.connectors.BigQueryEvents;
import dev.sfutriage.connectors.QueryValidation;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.report.OutputLocation;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The options checked and resolved before any work starts. Each concern lives in one class:
 * {@link InputsConfig} (files), {@link WindowConfig}, {@link JdbcConfig}, {@link BigQueryConfig},
 * {@link OutputConfig}; here they are put together with the rules and the scope. Every problem is a
 * {@link UsageException} with one line saying what and where.
 */
public final class RunConfig {
  public final TriageOptions options;
  public final Map<String, List<String>> files;
  public final RuleSet rules;
  public final RunScope scope;
  public final @Nullable DataWindow window;
  /** --output: a local folder or one on another Beam file system (gs://...). */
  public final OutputLocation output;
  /** PostgreSQL connection for the webhook job table, or null when it is read from CSV. */
  public final @Nullable JdbcConfig jdbc;
  /** Analytics/Crashlytics from BigQuery, or null when they are read from files. */
  public final BigQueryEvents.@Nullable Settings bigQuery;
  /** --incidentsTable, checked (its report_date partition is the window's first UTC day), or null. */
  public final @Nullable String incidentsTable;
  /** --fromIndex, resolved to the partitions this run reads, or null for a run from raw inputs. */
  public dev.sfutriage.index.@Nullable IndexSource index;
  /** Last night's summary (--previousSummary), or null. */
  public final @Nullable JsonNode previousSummary;

  private RunConfig(TriageOptions options, Map<String, List<String>> files, RuleSet rules, RunScope scope,
      @Nullable DataWindow window, OutputLocation output, @Nullable JsonNode previousSummary, @Nullable JdbcConfig jdbc,
      BigQueryEvents.@Nullable Settings bigQuery, @Nullable String incidentsTable) {
    this.options = options;
    this.files = files;
    this.rules = rules;
    this.scope = scope;
    this.window = window;
    this.output = output;
    this.previousSummary = previousSummary;
    this.jdbc = jdbc;
    this.bigQuery = bigQuery;
    this.incidentsTable = incidentsTable;
  }

  /** A bad option or input, reported as one line and exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  /** Every option checked, cheapest first; no outside system is contacted (see {@link #probeConnectors}). */
  public static RunConfig resolve(TriageOptions o) {
    FileSystems.setDefaultPipelineOptions(o);
    OutputLocation output = OutputConfig.output(o);
    RuleSet rules = rules(o);
    Map<String, List<String>> files = InputsConfig.files(o);
    JdbcConfig jdbc = JdbcConfig.of(o, files);
    DataWindow window = WindowConfig.of(o);
    BigQueryEvents.Settings bigQuery = BigQueryConfig.reads(o, files, window);
    boolean telemetryFiles = files.keySet().stream().anyMatch(s -> !s.equals(Sources.TICKETS));
    dev.sfutriage.index.IndexSource index = null;
    if (blank(o.getFromIndex()) != null) {
      if (jdbc != null || bigQuery != null || telemetryFiles) {
        throw new UsageException("--fromIndex reads the day from the index: give no other input than --tickets");
      }
      index = openIndex(o.getFromIndex().trim(), rules);
      if (window == null) {
        window = index.window(); // a run from the index answers for the index's day unless told otherwise
      }
    } else if (jdbc == null && bigQuery == null && !telemetryFiles) {
      throw new UsageException("no input: give --inputDir or at least one of --analytics, --crashlytics, --backendLogs, "
          + "--webhookJobs, --metrics (see --help)");
    }
    String incidentsTable = BigQueryConfig.incidentsTable(o, window);
    RunScope scope = new RunScope(window == null ? null : window.fromMicros, window == null ? null : window.toMicros,
        blank(o.getSeminarId()), blank(o.getSessionId()), blank(o.getUserId()), rules.metricsLookbackMicros);
    RunConfig cfg = new RunConfig(o, files, rules, scope, window, output,
        OutputConfig.previousSummary(o.getPreviousSummary()), jdbc, bigQuery, incidentsTable);
    try {
      cfg.index = index == null ? null : index.forRun(scope, files.get(Sources.TICKETS));
    } catch (dev.sfutriage.index.IndexSource.Refused e) {
      throw new UsageException(e.getMessage());
    }
    return cfg;
  }

  /** --fromIndex: the nightly's index, checked against the rules (see {@link dev.sfutriage.index.IndexSource}). */
  private static dev.sfutriage.index.IndexSource openIndex(String path, RuleSet rules) {
    try {
      return dev.sfutriage.index.IndexSource.open(path, rules);
    } catch (dev.sfutriage.index.IndexSource.Refused e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Whether this run writes the day's index: a nightly from raw inputs (not ad-hoc, not --fromIndex). */
  public boolean writesIndex() {
    return options.getWriteIndex() && index == null && !scope.isAdHoc();
  }

  /** The settings of --validateQueries (which runs instead of the pipeline). */
  public static QueryValidation.Settings validation(TriageOptions o) {
    return BigQueryConfig.validation(o);
  }

  /** Tries the outside systems a run reads directly (the webhook job database), before any work. */
  public void probeConnectors() {
    if (jdbc != null) {
      jdbc.probe();
    }
  }

  private static RuleSet rules(TriageOptions o) {
    try {
      java.util.regex.Pattern p = java.util.regex.Pattern.compile(o.getRoomNamePattern());
      if (!p.pattern().contains("(?<seminar>") || !p.pattern().contains("(?<session>")) {
        throw new UsageException("--roomNamePattern needs the named groups (?<seminar>...) and (?<session>...)");
      }
      return o.getRules() == null ? RulesLoader.loadDefault(o.getRoomNamePattern())
          : RulesLoader.load(Paths.get(o.getRules()), o.getRoomNamePattern());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new UsageException("--roomNamePattern is not a valid regular expression: " + e.getDescription());
    } catch (dev.sfutriage.rules.RulesException e) {
      throw new UsageException("invalid rules: " + e.getMessage());
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

  static @Nullable String blank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
