package dev.sfutriage;

import dev.sfutriage.connectors.BigQueryEvents;
import dev.sfutriage.connectors.BigQueryIncidents;
import dev.sfutriage.connectors.BigQueryQuery;
import dev.sfutriage.connectors.QueryValidation;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.RunScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The BigQuery options (--analyticsDataset, --crashlyticsDataset/--crashlyticsTables,
 * --bigQueryProject, --bigQueryTempDataset, --incidentsTable): each checked here, once, for a run
 * and for --validateQueries alike.
 */
final class BigQueryConfig {
  private BigQueryConfig() {}

  /** The BigQuery read settings of a run, or null; the sources they give are no longer read from files. */
  static BigQueryEvents.@Nullable Settings reads(TriageOptions o, Map<String, List<String>> files,
      @Nullable DataWindow window) {
    String analytics = RunConfig.blank(o.getAnalyticsDataset());
    String crashlytics = RunConfig.blank(o.getCrashlyticsDataset());
    if (analytics == null && crashlytics == null) {
      return null;
    }
    List<String> tables = List.of();
    if (analytics != null) {
      if (o.getAnalytics() != null) {
        throw new RunConfig.UsageException("give either --analytics (NDJSON) or --analyticsDataset (BigQuery), not both");
      }
      identifier("--analyticsDataset", analytics);
      files.remove(Sources.ANALYTICS);
    }
    if (crashlytics != null) {
      if (o.getCrashlytics() != null) {
        throw new RunConfig.UsageException("give either --crashlytics (NDJSON) or --crashlyticsDataset (BigQuery), not both");
      }
      identifier("--crashlyticsDataset", crashlytics);
      tables = crashlyticsTables(o);
      if (tables.isEmpty()) {
        throw new RunConfig.UsageException("--crashlyticsDataset needs --crashlyticsTables, e.g. com_x_ANDROID,com_x_IOS");
      }
      files.remove(Sources.CRASHLYTICS);
    }
    String project = project(o, "BigQuery reads need --bigQueryProject (or --project)");
    String temp = RunConfig.blank(o.getBigQueryTempDataset());
    if (temp == null) {
      throw new RunConfig.UsageException("BigQuery reads need --bigQueryTempDataset (a dataset for the query results)");
    }
    identifier("--bigQueryTempDataset", temp);
    if (window == null) {
      throw new RunConfig.UsageException("--analyticsDataset/--crashlyticsDataset need the window: give --date or --from/--to");
    }
    return new BigQueryEvents.Settings(analytics, crashlytics, tables, project, temp);
  }

  /** --incidentsTable, checked (its report_date partition is the window's first UTC day), or null. */
  static @Nullable String incidentsTable(TriageOptions o, @Nullable DataWindow window) {
    String table = RunConfig.blank(o.getIncidentsTable());
    if (table == null) {
      return null;
    }
    tableName(table);
    if (window == null) {
      throw new RunConfig.UsageException("--incidentsTable needs --date (or --from/--to): the run's day is the partition it replaces");
    }
    return table;
  }

  /**
   * The settings of --validateQueries (which runs instead of the pipeline): every dataset the queries
   * read, checked as for a run, and the window they are bound with (default: yesterday, UTC).
   */
  static QueryValidation.Settings validation(TriageOptions o) {
    String project = project(o, "--validateQueries needs a Google Cloud project: give --bigQueryProject (or --project)");
    String analytics = RunConfig.blank(o.getAnalyticsDataset());
    String crashlytics = RunConfig.blank(o.getCrashlyticsDataset());
    String incidents = RunConfig.blank(o.getIncidentsTable());
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
      throw new RunConfig.UsageException("--validateQueries needs the tables the queries read: give " + String.join(", ", missing));
    }
    DataWindow window = WindowConfig.orYesterday(o);
    identifier("--analyticsDataset", analytics);
    identifier("--crashlyticsDataset", crashlytics);
    tableName(incidents);
    RunScope scope = new RunScope(window.fromMicros, window.toMicros, RunConfig.blank(o.getSeminarId()),
        RunConfig.blank(o.getSessionId()), RunConfig.blank(o.getUserId()), 0L);
    return new QueryValidation.Settings(project, analytics, crashlytics, tables, incidents, scope,
        RunConfig.blank(o.getBigQueryEndpoint()));
  }

  /** --bigQueryProject, else --project (which Beam may take from the gcloud configuration), checked. */
  private static String project(TriageOptions o, String ifMissing) {
    String project = RunConfig.blank(o.getBigQueryProject());
    if (project == null) {
      project = RunConfig.blank(o.as(org.apache.beam.sdk.extensions.gcp.options.GcpOptions.class).getProject());
    }
    if (project == null) {
      throw new RunConfig.UsageException(ifMissing);
    }
    identifier("--bigQueryProject", project);
    return project;
  }

  private static void identifier(String option, String value) {
    try {
      BigQueryQuery.validIdentifier(option, value);
    } catch (IllegalArgumentException e) {
      throw new RunConfig.UsageException(e.getMessage());
    }
  }

  private static void tableName(String table) {
    try {
      BigQueryIncidents.parse(table);
    } catch (IllegalArgumentException e) {
      throw new RunConfig.UsageException(e.getMessage());
    }
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
}
