package dev.sfutriage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.connectors.JdbcWebhookJobs;
import dev.sfutriage.connectors.QueryValidation;
import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.report.Finalize;
import dev.sfutriage.report.OutputFiles;
import dev.sfutriage.report.Redactor;
import dev.sfutriage.report.RunResult;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * sfu-triage: the nightly incident report, ad-hoc correlation runs and ticket enrichment over a
 * LiveKit seminar platform's telemetry, logs, metrics and webhook jobs.
 *
 * <p>Exit codes ({@link CommandLine#EXIT_CODES}): 0 done; 1 the run failed; 2 bad options or inputs or
 * an unreachable connector (one line on stderr, nothing written); 3 the accounting did not balance
 * (a bug: outputs are written for inspection); 4 nothing to report (no used record, or the scope
 * filter matched nothing; --allowEmpty makes it 0). With --validateQueries (no run): 0 every query
 * valid, 1 any invalid, 2 no credentials or project.
 */
public final class SfuTriage {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNBALANCED = 3;
  public static final int NOTHING_TO_REPORT = 4;

  private SfuTriage() {}

  public static void main(String[] args) {
    // This JVM parses one command line: Beam's options factory starts with what it names (LeanOptions).
    dev.sfutriage.options.LeanOptions.start(CommandLine.normalize(args));
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream terminalOut, PrintStream terminalErr) {
    // Every line on the terminal passes the Redactor: an option value echoed in an error (--from=<JWT>) too.
    PrintStream out = Redactor.lines(terminalOut);
    PrintStream err = Redactor.lines(terminalErr);
    if (CommandLine.wantsHelp(args)) {
      CommandLine.printHelp(out);
      return OK;
    }
    if (CommandLine.wantsVersion(args)) {
      out.println(CommandLine.version());
      return OK;
    }
    RunConfig cfg;
    boolean inProcess;
    try {
      String[] normalized = CommandLine.normalize(args);
      CommandLine.checkRunner(normalized);
      TriageOptions options = PipelineOptionsFactory.fromArgs(normalized).as(TriageOptions.class);
      if (options.getValidateQueries()) { // instead of a run, like --help
        QueryValidation.Settings settings = RunConfig.validation(options);
        return QueryValidation.run(settings, QueryValidation.credentials(settings), out, err);
      }
      cfg = RunConfig.resolve(options);
      cfg.probeConnectors();
      inProcess = InProcessRun.chosen(cfg, java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("--runner")));
    } catch (RunConfig.UsageException | IllegalArgumentException | dev.sfutriage.index.IndexSource.Refused e) {
      err.println("sfu-triage: " + oneLine(e.getMessage())); // err redacts every line
      return USAGE;
    } catch (JdbcConfig.ConnectorException e) {
      err.println("sfu-triage: " + oneLine(e.getMessage()) + errorLog(e));
      return USAGE;
    }
    // Next to the output and on its file system: the workers write the parts there (gs:// on Dataflow).
    String staging = cfg.output.newStaging();
    try (Progress progress = new Progress(cfg.options.getQuiet() ? null : err, System.console() != null)) {
      String parts = staging + "/parts";
      String stages = "read → correlate → classify → report: " + cfg.rules.symptoms.size() + " symptoms from "
          + Path.of(cfg.rules.origin).getFileName() + (cfg.window == null ? ", window = span of the data"
          : ", window " + Times.iso(cfg.window.fromMicros) + " – " + Times.iso(cfg.window.toMicros));
      if (inProcess) {
        progress.stage("reading " + (cfg.index != null ? cfg.index.files().size() + " index files (" + megabytes(cfg.index.bytesToRead()) + ")"
            : cfg.files.values().stream().mapToInt(List::size).sum() + " files (" + megabytes(InputsConfig.totalBytes(cfg.files)) + ")")
            + " of " + cfg.givenSources().size() + " sources in process, without a runner (--engine)");
        progress.stage(stages);
        try {
          InProcessRun.run(cfg, parts, dev.sfutriage.index.IndexCommit.stagedDir(parts));
        } catch (dev.sfutriage.read.ReadInProcess.TooMany e) {
          inProcess = false;
          progress.stage("the inputs hold " + e.getMessage() + ": running on " + cfg.options.getRunner().getSimpleName()
              + " instead (--engine, --inProcessMaxEvents)");
        }
      }
      if (!inProcess) {
        progress.stage("reading " + cfg.files.values().stream().mapToInt(List::size).sum() + " files"
            + (cfg.index != null ? " and " + cfg.index.files().size() + " index files" : "")
            + (cfg.jdbc != null ? " and " + JdbcWebhookJobs.TABLE + " at " + cfg.jdbc.hostPort() : "") + " of "
            + cfg.givenSources().size() + " sources on " + cfg.options.getRunner().getSimpleName());
        CommandLine.runnerDefaults(cfg.options, args);
        Pipeline p = Pipeline.create(cfg.options);
        TriagePipeline.build(p, cfg, parts);
        progress.stage(stages);
        progress.live(InputsConfig.totalBytes(cfg.files));
        PipelineResult.State state = p.run().waitUntilFinish();
        progress.close();
        if (state != PipelineResult.State.DONE) {
          err.println("sfu-triage: the pipeline ended in state " + state);
          return FAILED;
        }
      }
      progress.stage("pipeline done; ordering, redacting and writing the outputs");
      OutputFiles files = new OutputFiles(cfg.output, staging + "/final");
      RunResult result = new Finalize(parts, files, cfg.givenSources(), runInfo(cfg, inProcess), cfg.previousSummary,
          cfg.rules.checklist, cfg.wantsTimeline()).causesNeeding(cfg.rules.causesNeeding()).run();
      if (cfg.writesIndex()) { // before the other outputs: summary.json still moves last
        dev.sfutriage.index.IndexCommit.commit(dev.sfutriage.index.IndexCommit.stagedDir(parts), cfg.output,
            dev.sfutriage.index.IndexManifest.of(cfg.rules, cfg.window, cfg.givenSources(), result.summary.path("sources"),
                cfg.givenSources().contains(Sources.WEBHOOK_JOBS) ? webhookJobsExport(cfg) : null));
      }
      List<String> written = files.commit();
      out.print(TerminalSummary.render(result, written, cfg.output.file("report.html")));
      if (!result.summary.path("accounting_balanced").asBoolean()) {
        return UNBALANCED;
      }
      String nothing = nothingToReport(result.summary);
      if (nothing != null && !cfg.options.getAllowEmpty()) {
        err.println("sfu-triage: nothing to report: " + nothing + " (exit " + NOTHING_TO_REPORT + "; --allowEmpty exits 0)");
        return NOTHING_TO_REPORT;
      }
      return OK;
    } catch (RuntimeException e) {
      err.println("sfu-triage: run failed: " + oneLine(String.valueOf(rootCause(e).getMessage())) + errorLog(e));
      return FAILED;
    } finally {
      cfg.output.deleteStaging(staging);
    }
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** Why the run has nothing to report (no used record at all, or a scope that matched nothing), or null. */
  static @Nullable String nothingToReport(JsonNode summary) {
    long used = 0;
    for (String src : Sources.ALL) {
      if (!Sources.TICKETS.equals(src)) {
        used += summary.path("sources").path(src).path("used").asLong();
      }
    }
    if (!summary.path("scope_matched").asBoolean(true)) {
      return summary.path("warnings").path(0).asText("the ad-hoc filter matched no record");
    }
    if (used == 0) {
      return "no source gave a used record in the window " + summary.path("window").path("from").asText("?") + " – "
          + summary.path("window").path("to").asText("?") + ": check the inputs and the window";
    }
    return null;
  }

  /**
   * Writes the failure's full stack trace to a file in the system's temp folder (the output may be
   * the problem) and returns the clause naming it, or "" when even that cannot be written.
   */
  static String errorLog(Throwable e) {
    try {
      Path log = Files.createTempFile("sfu-triage-error-", ".log");
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
        w.println(CommandLine.version());
        w.println(Instant.now());
        e.printStackTrace(w);
      }
      Files.writeString(log, Redactor.redact(Files.readString(log, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
      return " (full trace: " + log + ")";
    } catch (IOException | RuntimeException io) {
      return "";
    }
  }

  private static ObjectNode runInfo(RunConfig cfg, boolean inProcess) {
    ObjectNode run = Json.MAPPER.createObjectNode();
    run.put("started_at", Instant.now().toString());
    run.put("engine", inProcess ? "in process (--engine)" : cfg.options.getRunner().getSimpleName());
    run.put("started_at_note", "the only wall-clock value in the outputs; everything else is a function of the inputs");
    run.put("rules", Path.of(cfg.rules.origin).getFileName().toString());
    run.put("email_addresses", Redactor.pseudonyms());
    if (cfg.givenSources().contains(dev.sfutriage.model.Sources.WEBHOOK_JOBS)) {
      run.put("webhook_jobs_export", webhookJobsExport(cfg));
    }
    if (cfg.index != null) { // which of the index's partitions this run read ("all", or their names)
      List<String> read = cfg.index.partitions();
      if (read == null) {
        run.put("index_partitions", "all");
      } else {
        read.forEach(run.putArray("index_partitions")::add);
      }
    }
    ObjectNode scope = run.putObject("scope");
    scope.put("seminar_id", cfg.scope.seminarId);
    scope.put("session_id", cfg.scope.sessionId);
    scope.put("user_id", cfg.scope.userId);
    // the input options as given, so a drill-down command names the same inputs (no password)
    TriageOptions o = cfg.options;
    ArrayNode inputs = run.putArray("inputs");
    String[][] given = {{"fromIndex", o.getFromIndex()}, {"inputDir", o.getInputDir()}, {"analytics", o.getAnalytics()},
        {"crashlytics", o.getCrashlytics()}, {"backendLogs", o.getBackendLogs()}, {"webhookJobs", o.getWebhookJobs()},
        {"metrics", o.getMetrics()}, {"webhookJobsJdbcUrl", o.getWebhookJobsJdbcUrl()},
        {"webhookJobsJdbcUser", o.getWebhookJobsJdbcUser()}, {"analyticsDataset", o.getAnalyticsDataset()},
        {"crashlyticsDataset", o.getCrashlyticsDataset()}, {"crashlyticsTables", o.getCrashlyticsTables()},
        {"bigQueryProject", o.getBigQueryProject()}, {"rules", o.getRules()}};
    for (String[] g : given) {
      if (g[1] != null && !g[1].isBlank()) {
        inputs.add("--" + g[0] + "=" + g[1]);
      }
    }
    return run;
  }

  /** Where this run's job rows came from, for replay.sql's header: the files, or the database. */
  private static String webhookJobsExport(RunConfig cfg) {
    if (cfg.index != null) {
      return cfg.index.webhookJobsExport();
    }
    List<String> from = new java.util.ArrayList<>(cfg.files.getOrDefault(dev.sfutriage.model.Sources.WEBHOOK_JOBS, List.of()));
    if (cfg.jdbc != null) {
      from.add(cfg.jdbc.url.replaceAll("\\?.*$", "") + " (queries/postgres/read_jobs.sql)");
    }
    int shown = Math.min(from.size(), 10);
    return String.join(", ", from.subList(0, shown)) + (from.size() > shown ? " and " + (from.size() - shown) + " more" : "");
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String first = s.split("\n", 2)[0].trim();
    return first.length() > 300 ? first.substring(0, 300) + "…" : first;
  }
}
