package dev.sfutriage.connectors;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import dev.sfutriage.read.RunScope;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code --validateQueries}: a BigQuery dry run of every query of queries/bigquery/, bound exactly
 * as it runs (the checked dataset names spliced in, every value a typed named parameter). BigQuery
 * parses the query, resolves its tables and columns and estimates the bytes it would scan; nothing
 * runs and nothing is billed. One line per query; exit 0 all valid, 1 any invalid, 2 no credentials.
 */
public final class QueryValidation {
  private QueryValidation() {}

  /** What the queries read and the representative values they are bound with. */
  public static final class Settings {
    public final String project;
    public final String analyticsDataset;
    public final String crashlyticsDataset;
    public final List<String> crashlyticsTables;
    public final String incidentsTable;
    /** The window and filters the pipeline would bind (the report queries get the window's days). */
    public final RunScope scope;
    /** Another BigQuery endpoint (an emulator, tests' fake), or null for Google's. */
    public final @Nullable String endpoint;

    public Settings(String project, String analyticsDataset, String crashlyticsDataset, List<String> crashlyticsTables,
        String incidentsTable, RunScope scope, @Nullable String endpoint) {
      this.project = project;
      this.analyticsDataset = analyticsDataset;
      this.crashlyticsDataset = crashlyticsDataset;
      this.crashlyticsTables = crashlyticsTables;
      this.incidentsTable = incidentsTable;
      this.scope = scope;
      this.endpoint = endpoint;
    }
  }

  /** Where the credentials come from (Application Default Credentials in production). */
  public interface CredentialsSource {
    Credentials get() throws IOException;
  }

  /** ADC for Google's endpoint; none for another endpoint (emulators do not take Google tokens). */
  public static CredentialsSource credentials(Settings s) {
    return s.endpoint != null ? NoCredentials::getInstance : GoogleCredentials::getApplicationDefault;
  }

  /** Every query of queries/bigquery/, in file order, as the pipeline and the reports bind it. */
  public static List<BigQueryQuery> queries(Settings s) {
    LocalDate firstDay = day(s.scope.fromMicros);
    LocalDate lastDay = day(s.scope.toMicros - 1);
    return List.of(
        BigQueryQuery.analytics(s.analyticsDataset, s.scope, null),
        BigQueryQuery.crashlytics(s.crashlyticsDataset, s.crashlyticsTables, s.scope, null),
        BigQueryQuery.reportTopSeminars(s.incidentsTable, firstDay, lastDay, null, 10),
        BigQueryQuery.reportWeeklyTrend(s.incidentsTable, firstDay, lastDay));
  }

  /** Dry-runs every query; prints one line per query on {@code out}; returns the exit code. */
  public static int run(Settings s, CredentialsSource credentials, PrintStream out, PrintStream err) {
    Credentials c;
    try {
      c = credentials.get();
    } catch (IOException | RuntimeException e) {
      err.println(noCredentials(e.getMessage()));
      return 2;
    }
    BigQueryOptions.Builder o = BigQueryOptions.newBuilder().setProjectId(s.project).setCredentials(c);
    if (s.endpoint != null) {
      o.setHost(s.endpoint);
    }
    BigQuery bigquery = o.build().getService();
    List<BigQueryQuery> queries = queries(s);
    int width = queries.stream().mapToInt(q -> q.file.length()).max().orElse(0);
    int invalid = 0;
    for (BigQueryQuery q : queries) {
      String name = String.format(Locale.ROOT, "%-" + width + "s", q.file);
      try {
        Job job = bigquery.create(JobInfo.of(BigQueryQueryRunner.dryRun(q)));
        JobStatistics.QueryStatistics stats = job.getStatistics();
        Long bytes = stats == null ? null : stats.getTotalBytesProcessed();
        out.println(name + "  OK       " + (bytes == null ? "bytes unknown" : "would process " + bytes(bytes)));
      } catch (BigQueryException e) {
        if (e.getCode() == 401) { // the credentials were refused: nothing was validated
          err.println(noCredentials(e.getMessage()));
          return 2;
        }
        // 400 invalid query, 404 a table or column that is not there; anything else (no access,
        // unreachable) means the query could not be checked: a failure all the same.
        boolean checked = e.getCode() == 400 || e.getCode() == 404;
        out.println(name + (checked ? "  INVALID  " : "  ERROR    ") + oneLine(e.getMessage()));
        invalid++;
      }
    }
    return invalid == 0 ? 0 : 1;
  }

  private static String noCredentials(@Nullable String why) {
    return "sfu-triage: --validateQueries needs Google credentials: " + oneLine(why)
        + " (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS)";
  }

  /** e.g. {@code 1.3 GB (1342177280 bytes)}. */
  static String bytes(long n) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u])) + " (" + n + " bytes)";
  }

  private static String oneLine(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return "unknown error";
    }
    String first = s.strip().split("\\R", 2)[0].strip();
    return first.length() > 300 ? first.substring(0, 300) + "…" : first;
  }

  private static LocalDate day(@Nullable Long micros) {
    if (micros == null) {
      throw new IllegalArgumentException("the queries need a window");
    }
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L)).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
