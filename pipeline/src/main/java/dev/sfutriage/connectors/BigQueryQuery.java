package dev.sfutriage.connectors;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableId;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.RunScope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One of the queries of queries/bigquery/ ready to run: the SQL text with only its dataset
 * placeholder replaced (by a validated identifier), every value a named parameter, and the
 * destination table the pipeline then reads (none for the report queries, which people and
 * dashboards run, and for dry runs).
 */
public final class BigQueryQuery {
  /** What a dataset (or project.dataset) identifier may contain before it is put into SQL text. */
  public static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9_.-]+$");

  /** The file of queries/bigquery/, e.g. {@code analytics_livekit_events.sql}. */
  public final String file;
  public final String source;
  public final String sql;
  public final Map<String, QueryParameterValue> parameters;
  public final @Nullable TableId destination;
  /** The table the rows come from, for dead-letter locations: e.g. {@code p.analytics_1.events_*}. */
  public final String origin;

  private BigQueryQuery(String file, String source, String sql, Map<String, QueryParameterValue> parameters,
      @Nullable TableId destination, String origin) {
    this.file = file;
    this.source = source;
    this.sql = sql;
    this.parameters = Collections.unmodifiableMap(parameters);
    this.destination = destination;
    this.origin = origin;
  }

  /** {@code <project>.<dataset>} (or {@code <dataset>}) checked against {@link #IDENTIFIER}. */
  public static String validIdentifier(String option, String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches() || value.contains("..") || value.startsWith(".")
        || value.endsWith(".")) {
      throw new IllegalArgumentException(option + ": not a BigQuery dataset name (letters, digits, _ . - only): '"
          + value + "'");
    }
    return value;
  }

  /** analytics_livekit_events.sql over {@code dataset} (e.g. {@code my-project.analytics_123456}). */
  public static BigQueryQuery analytics(String dataset, RunScope scope, @Nullable TableId destination) {
    validIdentifier("--analyticsDataset", dataset);
    Map<String, QueryParameterValue> p = new LinkedHashMap<>();
    // Export days are in the property's time zone: one day either side, @from_ts/@to_ts trim.
    p.put("from_date", QueryParameterValue.date(day(scope.fromMicros, -1).toString()));
    p.put("to_date", QueryParameterValue.date(day(scope.toMicros, 1).toString()));
    putWindowAndIds(p, scope);
    String file = "analytics_livekit_events.sql";
    String sql = Sql.load("bigquery/" + file).replace("`analytics_dataset.", "`" + dataset + ".");
    return new BigQueryQuery(file, Sources.ANALYTICS, sql, p, destination, dataset + ".events_*");
  }

  /** crashlytics_livekit_events.sql over {@code dataset} (e.g. {@code my-project.firebase_crashlytics}). */
  public static BigQueryQuery crashlytics(String dataset, List<String> tables, RunScope scope,
      @Nullable TableId destination) {
    validIdentifier("--crashlyticsDataset", dataset);
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("--crashlyticsTables: give the app tables, e.g. com_x_ANDROID,com_x_IOS");
    }
    Map<String, QueryParameterValue> p = new LinkedHashMap<>();
    p.put("tables", QueryParameterValue.array(tables.toArray(new String[0]), String.class));
    putWindowAndIds(p, scope);
    String file = "crashlytics_livekit_events.sql";
    String sql = Sql.load("bigquery/" + file).replace("`crashlytics_dataset.", "`" + dataset + ".");
    return new BigQueryQuery(file, Sources.CRASHLYTICS, sql, p, destination, dataset + ".*");
  }

  /**
   * report_top_seminars.sql over the incidents table ({@code <project>.<dataset>.<table>}, checked):
   * the days {@code from}..{@code to} (inclusive), all symptoms or one, the {@code topN} seminars.
   */
  public static BigQueryQuery reportTopSeminars(String incidentsTable, LocalDate from, LocalDate to,
      @Nullable String symptom, long topN) {
    Map<String, QueryParameterValue> p = new LinkedHashMap<>();
    p.put("from_date", QueryParameterValue.date(from.toString()));
    p.put("to_date", QueryParameterValue.date(to.toString()));
    p.put("symptom", string(symptom));
    p.put("top_n", QueryParameterValue.int64(topN));
    return report("report_top_seminars.sql", incidentsTable, p);
  }

  /** report_weekly_trend.sql over the incidents table: the ISO weeks of the days {@code from}..{@code to}. */
  public static BigQueryQuery reportWeeklyTrend(String incidentsTable, LocalDate from, LocalDate to) {
    Map<String, QueryParameterValue> p = new LinkedHashMap<>();
    p.put("from_date", QueryParameterValue.date(from.toString()));
    p.put("to_date", QueryParameterValue.date(to.toString()));
    return report("report_weekly_trend.sql", incidentsTable, p);
  }

  private static BigQueryQuery report(String file, String incidentsTable, Map<String, QueryParameterValue> p) {
    com.google.api.services.bigquery.model.TableReference t = BigQueryIncidents.parse(incidentsTable);
    String table = t.getProjectId() + "." + t.getDatasetId() + "." + t.getTableId();
    String sql = Sql.load("bigquery/" + file).replace("`triage_dataset.incidents`", "`" + table + "`");
    return new BigQueryQuery(file, "report", sql, p, null, table);
  }

  private static void putWindowAndIds(Map<String, QueryParameterValue> p, RunScope scope) {
    p.put("from_ts", timestamp(scope.fromMicros));
    p.put("to_ts", timestamp(scope.toMicros));
    p.put("seminar_id", string(scope.seminarId));
    p.put("session_id", string(scope.sessionId));
    p.put("user_id", string(scope.userId));
  }

  private static QueryParameterValue timestamp(@Nullable Long micros) {
    return micros == null ? QueryParameterValue.of(null, StandardSQLTypeName.TIMESTAMP) : QueryParameterValue.timestamp(micros);
  }

  private static QueryParameterValue string(@Nullable String s) {
    return QueryParameterValue.of(s, StandardSQLTypeName.STRING);
  }

  private static LocalDate day(@Nullable Long micros, int shift) {
    if (micros == null) {
      throw new IllegalArgumentException("a BigQuery read needs a window: give --date or --from/--to");
    }
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)).atZone(ZoneOffset.UTC).toLocalDate().plusDays(shift);
  }
}
