package dev.sfutriage.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Every option of sfu-triage ({@code java -jar sfu-triage.jar --help}). */
public interface TriageOptions extends PipelineOptions, EndpointOptions {
  @Description("Folder with the standard layout analytics/, crashlytics/, backend/, webhook_jobs/, metrics/, "
      + "tickets/ (e.g. fixtures). Fills every file input not given explicitly.")
  String getInputDir();

  void setInputDir(String value);

  @Description("Google Analytics for Firebase export as NDJSON (events_YYYYMMDD): paths or globs, comma-separated; .gz ok.")
  String getAnalytics();

  void setAnalytics(String value);

  @Description("Firebase Crashlytics export as NDJSON (<app>_ANDROID / _IOS, batch and realtime): paths or globs, comma-separated; .gz ok.")
  String getCrashlytics();

  void setCrashlytics(String value);

  @Description("Backend JSON logs, structlog lines or Cloud Logging LogEntries: paths or globs (gs:// too), comma-separated; .gz ok.")
  String getBackendLogs();

  void setBackendLogs(String value);

  @Description("CSV export of app.livekit_webhook_jobs (psql \\copy ... csv header): paths or globs, comma-separated.")
  String getWebhookJobs();

  void setWebhookJobs(String value);

  @Description("Prometheus /api/v1/query_range answers (matrix JSON), one document per file: paths or globs, comma-separated.")
  String getMetrics();

  void setMetrics(String value);

  @Description("Support tickets CSV (ticket_id,seminar_id,user_id,platform,reported_at,subject): enables ticket enrichment.")
  String getTickets();

  void setTickets(String value);

  @Description("Start of the data window, ISO-8601 (inclusive). Default: the start of --date, else the earliest event.")
  String getFrom();

  void setFrom(String value);

  @Description("End of the data window, ISO-8601 (exclusive). Default: the end of --date, else the latest event.")
  String getTo();

  void setTo(String value);

  @Description("A UTC day YYYY-MM-DD for the nightly report: shorthand for --from=<day>T00:00Z --to=<day+1>T00:00Z.")
  String getDate();

  void setDate(String value);

  @Description("Ad-hoc: only this seminar (its events, sessions and incidents; writes timeline.jsonl/.md).")
  String getSeminarId();

  void setSeminarId(String value);

  @Description("Ad-hoc: only this session (writes timeline.jsonl/.md).")
  String getSessionId();

  void setSessionId(String value);

  @Description("Ad-hoc: only this user (writes timeline.jsonl/.md).")
  String getUserId();

  void setUserId(String value);

  @Description("Rules file (YAML) with the symptoms, causes and resolutions. Default: the guide's rules shipped in the jar.")
  String getRules();

  void setRules(String value);

  @Description("Output folder, local or on any Beam file system (gs://bucket/reports/2026-11-23); outputs are written "
      + "to a staging folder beside it and moved in only when the run succeeds, summary.json last.")
  @Default.String("out")
  String getOutput();

  void setOutput(String value);

  @Description("Last night's summary.json: the report gets a 'since last night' column.")
  String getPreviousSummary();

  void setPreviousSummary(String value);

  @Description("Write timeline.jsonl/.md even without an ad-hoc filter (large on a whole day).")
  @Default.Boolean(false)
  boolean getTimeline();

  void setTimeline(boolean value);

  @Description("Pattern of LiveKit room names with named groups 'seminar' and 'session', used when room.metadata is absent.")
  @Default.String("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})")
  String getRoomNamePattern();

  void setRoomNamePattern(String value);

  @Description("Exit 0 even when there is nothing to report: no source gave a used record in the window, or the "
      + "--seminarId/--sessionId/--userId filter matched nothing (default: exit 4, so a cron job notices).")
  @Default.Boolean(false)
  boolean getAllowEmpty();

  void setAllowEmpty(boolean value);

  @Description("Print no progress lines, only errors.")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);

  @Description("Read app.livekit_webhook_jobs from PostgreSQL through JdbcIO instead of a CSV, e.g. "
      + "jdbc:postgresql://db:5432/app (uses queries/postgres/read_jobs.sql).")
  String getWebhookJobsJdbcUrl();

  void setWebhookJobsJdbcUrl(String value);

  @Description("PostgreSQL user for --webhookJobsJdbcUrl.")
  String getWebhookJobsJdbcUser();

  void setWebhookJobsJdbcUser(String value);

  @Description("PostgreSQL password for --webhookJobsJdbcUrl; prefer the environment variable SFU_TRIAGE_JDBC_PASSWORD "
      + "(a command line is visible to other users). Never serialized with the pipeline options.")
  @JsonIgnore
  String getWebhookJobsJdbcPassword();

  void setWebhookJobsJdbcPassword(String value);

  @Description("Read Google Analytics for Firebase from BigQuery instead of NDJSON: the export dataset "
      + "<project>.analytics_<property_id> (runs queries/bigquery/analytics_livekit_events.sql; needs the window).")
  String getAnalyticsDataset();

  void setAnalyticsDataset(String value);

  @Description("Read Crashlytics from BigQuery instead of NDJSON: the export dataset <project>.firebase_crashlytics "
      + "(runs queries/bigquery/crashlytics_livekit_events.sql; needs --crashlyticsTables).")
  String getCrashlyticsDataset();

  void setCrashlyticsDataset(String value);

  @Description("Crashlytics app tables to read, comma-separated, e.g. com_x_ANDROID,com_x_ANDROID_REALTIME,com_x_IOS,com_x_IOS_REALTIME.")
  String getCrashlyticsTables();

  void setCrashlyticsTables(String value);

  @Description("Project that runs the BigQuery jobs (queries, exports, loads). Default: --project.")
  String getBigQueryProject();

  void setBigQueryProject(String value);

  @Description("Dataset (in --bigQueryProject) for the query results sfu_triage_<source>_<runid>; give it a "
      + "default table expiration.")
  String getBigQueryTempDataset();

  void setBigQueryTempDataset(String value);

  @Description("Also write the incidents to this BigQuery table, <project>.<dataset>.<table>, day-partitioned on "
      + "report_date; a re-run of a day replaces that day's partition.")
  String getIncidentsTable();

  void setIncidentsTable(String value);

  @Description("Instead of a run: a BigQuery dry run of every query of queries/bigquery/ with the parameters it runs "
      + "with (the window of --date or --from/--to, default yesterday UTC), against --analyticsDataset, "
      + "--crashlyticsDataset/--crashlyticsTables and --incidentsTable in --bigQueryProject. One line per query; "
      + "exit 0 all valid, 1 any invalid, 2 no credentials. Needs Application Default Credentials.")
  @Default.Boolean(false)
  boolean getValidateQueries();

  void setValidateQueries(boolean value);

  @Description("Read the day from the index a nightly run wrote (its --output folder, which holds index/) instead of "
      + "raw inputs: an ad-hoc run reads only its seminar's partition (plus the global and metrics ones), a ticket "
      + "run its tickets' seminars', anything else all. --tickets may be given; other inputs may not.")
  String getFromIndex();

  void setFromIndex(String value);

  /** How a run executes: on the Beam runner, or in this JVM (a --fromIndex run that reads little). */
  enum Engine {
    AUTO,
    RUNNER,
    IN_PROCESS
  }

  @Description("How the run executes. AUTO: in this JVM, without starting a runner, when no --runner is named, "
      + "no database or BigQuery is involved, the raw files are local and an index read is at most --inProcessMaxBytes "
      + "(a seminar's, a user's or a few tickets' partitions, or a whole small day's index); a day of raw files is read "
      + "on one thread per core and moves to --runner if it keeps more than --inProcessMaxEvents events. Else on "
      + "--runner. RUNNER: always on --runner. IN_PROCESS: always in this JVM. Both give the same outputs "
      + "(summary.json run.engine says which ran).")
  @Default.Enum("AUTO")
  Engine getEngine();

  void setEngine(Engine value);

  @Description("The most index bytes an --engine=AUTO run reads in this JVM; a larger index read runs on --runner.")
  @Default.Long(64L << 20)
  long getInProcessMaxBytes();

  void setInProcessMaxBytes(long value);

  @Description("The most events (after the filter: the day's relevant ones) an --engine=AUTO run keeps in this JVM; "
      + "past it the run starts again on --runner. 0: one per 2 KiB of the heap (-Xmx2g: about a million).")
  @Default.Long(0L)
  long getInProcessMaxEvents();

  void setInProcessMaxEvents(long value);

  @Description("A nightly run (not ad-hoc, not --fromIndex) writes its day's relevant events as an index under "
      + "<output>/index/ for later --fromIndex runs.")
  @Default.Boolean(true)
  boolean getWriteIndex();

  void setWriteIndex(boolean value);
}
