package dev.sfutriage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.connectors.QueryValidation;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.report.Finalize;
import dev.sfutriage.report.OutputFiles;
import dev.sfutriage.report.Redactor;
import dev.sfutriage.report.RunResult;
import dev.sfutriage.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * sfu-triage: the nightly incident report, ad-hoc correlation runs and ticket enrichment over a
 * LiveKit seminar platform's telemetry, logs, metrics and webhook jobs.
 *
 * <p>Exit codes: 0 done; 1 the run failed; 2 bad options or inputs (one line on stderr, nothing
 * written); 3 the accounting did not balance (a bug: outputs are written for inspection). With
 * --validateQueries (no run): 0 every query valid, 1 any invalid, 2 no credentials or project.
 */
public final class SfuTriage {
  private SfuTriage() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="))) {
      out.println("sfu-triage — correlate LiveKit seminar telemetry, logs, metrics and webhook jobs into incident reports.");
      out.println("Usage: java -jar sfu-triage.jar [--inputDir=fixtures | --analytics=... --crashlytics=... ...] [options]");
      out.println();
      PipelineOptionsFactory.printHelp(out, TriageOptions.class);
      return 0;
    }
    RunConfig cfg;
    try {
      TriageOptions options = PipelineOptionsFactory.fromArgs(withDefaultRunner(args)).as(TriageOptions.class);
      if (options.getValidateQueries()) { // instead of a run, like --help
        QueryValidation.Settings settings = RunConfig.validation(options);
        return QueryValidation.run(settings, QueryValidation.credentials(settings), out, err);
      }
      cfg = RunConfig.resolve(options);
    } catch (RunConfig.UsageException | IllegalArgumentException e) { // --fromIndex refusals are UsageExceptions
      err.println("sfu-triage: " + oneLine(e.getMessage()));
      return 2;
    }
    // Next to the output and on its file system: the workers write the parts there (gs:// on Dataflow).
    String staging = cfg.output.newStaging();
    Progress progress = new Progress(cfg.options.getQuiet() ? null : err);
    try {
      progress.stage("reading " + cfg.files.values().stream().mapToInt(List::size).sum() + " files"
          + (cfg.jdbc != null ? " and " + dev.sfutriage.connectors.JdbcWebhookJobs.TABLE : "") + " of "
          + cfg.givenSources().size() + " sources on " + cfg.options.getRunner().getSimpleName());
      Pipeline p = Pipeline.create(cfg.options);
      String parts = staging + "/parts";
      TriagePipeline.build(p, cfg, parts);
      progress.stage("read → correlate → classify → report: " + cfg.rules.symptoms.size() + " symptoms from "
          + Path.of(cfg.rules.origin).getFileName() + (cfg.window == null ? ", window = span of the data"
          : ", window " + dev.sfutriage.util.Times.iso(cfg.window.fromMicros) + " – " + dev.sfutriage.util.Times.iso(cfg.window.toMicros)));
      PipelineResult.State state = p.run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        err.println("sfu-triage: the pipeline ended in state " + state);
        return 1;
      }
      progress.stage("pipeline done; ordering, redacting and writing the outputs");
      OutputFiles files = new OutputFiles(cfg.output, staging + "/final");
      RunResult result = new Finalize(parts, files, cfg.givenSources(), runInfo(cfg), cfg.previousSummary,
          cfg.rules.checklist, cfg.wantsTimeline()).run();
      if (cfg.writesIndex()) { // before the other outputs: summary.json still moves last
        dev.sfutriage.index.IndexCommit.commit(dev.sfutriage.index.IndexCommit.stagedDir(parts), cfg.output,
            dev.sfutriage.index.IndexManifest.of(cfg.rules, cfg.window, cfg.givenSources(), result.summary.path("sources")));
      }
      List<String> written = files.commit();
      out.print(Redactor.redact(TerminalSummary.render(result, written)));
      return result.summary.path("accounting_balanced").asBoolean() ? 0 : 3;
    } catch (RuntimeException e) {
      err.println("sfu-triage: run failed: " + oneLine(String.valueOf(rootCause(e).getMessage())));
      return 1;
    } finally {
      cfg.output.deleteStaging(staging);
    }
  }

  /**
   * The embedded default runner, unless the caller chose one; on Flink, no defensive deep copy of
   * every element between chained steps ({@code --fasterCopy}) unless the caller says otherwise: no
   * step mutates its input (the DirectRunner's immutability check proves it in the tests), and the
   * copies cost more than the parsing (docs/BENCHMARKS.md).
   */
  static String[] withDefaultRunner(String[] args) {
    List<String> out = new java.util.ArrayList<>(Arrays.asList(args));
    if (out.stream().noneMatch(a -> a.startsWith("--runner="))) {
      out.add("--runner=" + DEFAULT_RUNNER);
    }
    boolean flink = out.stream().anyMatch(a -> a.startsWith("--runner=") && a.toLowerCase(java.util.Locale.ROOT).contains("flink"));
    if (flink && out.stream().noneMatch(a -> a.startsWith("--fasterCopy"))) {
      out.add("--fasterCopy=true");
    }
    return out.toArray(new String[0]);
  }

  /** Chosen by measurement on the fixture day (docs/BENCHMARKS.md): Flink's embedded cluster. */
  static final String DEFAULT_RUNNER = "FlinkRunner";

  private static ObjectNode runInfo(RunConfig cfg) {
    ObjectNode run = Json.MAPPER.createObjectNode();
    run.put("started_at", Instant.now().toString());
    run.put("started_at_note", "the only wall-clock value in the outputs; everything else is a function of the inputs");
    run.put("rules", Path.of(cfg.rules.origin).getFileName().toString());
    ObjectNode scope = run.putObject("scope");
    scope.put("seminar_id", cfg.scope.seminarId);
    scope.put("session_id", cfg.scope.sessionId);
    scope.put("user_id", cfg.scope.userId);
    return run;
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

  /** Stage lines on stderr while the run goes (silent with --quiet). */
  static final class Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();

    Progress(PrintStream err) {
      this.err = err;
    }

    void stage(String what) {
      if (err != null) {
        err.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - start) / 1e9, what);
      }
    }
  }
}
