package dev.sfutriage;

import dev.sfutriage.options.TriageOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line's conventions before Beam parses it: {@code --version}, {@code --help} (with the
 * real default runner, the exit codes and examples), {@code --name value} as {@code --name=value},
 * and the runner choice (the embedded default; test harnesses refused; Dataflow needs its build).
 */
final class CommandLine {
  /** Chosen by measurement on the fixture day (docs/BENCHMARKS.md): Flink's embedded cluster. */
  static final String DEFAULT_RUNNER = "FlinkRunner";
  static final String DATAFLOW_RUNNER = "org.apache.beam.runners.dataflow.DataflowRunner";

  static final String EXIT_CODES = String.join("\n",
      "Exit codes:",
      "  0  done (also: nothing to report, with --allowEmpty)",
      "  1  the run failed (one line; the full trace is in the error log it names)",
      "  2  bad options or inputs, or an unreachable connector (one line, before any work, nothing written)",
      "  3  the accounting did not balance (a bug: the outputs are written for inspection)",
      "  4  nothing to report: no source gave a used record in the window, or the --seminarId/--sessionId/",
      "     --userId filter matched no record (the outputs are written; --allowEmpty exits 0)",
      "  --validateQueries: 0 every query valid, 1 any invalid, 2 no credentials or project");

  static final String EXAMPLES = String.join("\n",
      "Examples:",
      "  java -jar sfu-triage.jar --inputDir=fixtures --date=2026-11-23 --output=out/nightly",
      "  java -jar sfu-triage.jar --inputDir=fixtures --seminarId=b8bb9502-63ae-4b16-843d-f0d400a5d526 \\",
      "      --from=2026-11-23T17:00:00Z --to=2026-11-23T20:00:00Z --output=out/adhoc",
      "  java -jar sfu-triage.jar --inputDir=fixtures --tickets=fixtures/tickets/tickets.csv --date=2026-11-23 \\",
      "      --output=out/tickets");

  private CommandLine() {}

  static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="));
  }

  static boolean wantsVersion(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--version") || a.equals("-V"));
  }

  /** "sfu-triage 0.1.0 (Apache Beam 2.70.0, Java 17.0.x)". */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = CommandLine.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // the line below says "unknown"
    }
    return "sfu-triage " + p.getProperty("version", "unknown") + " (Apache Beam " + p.getProperty("beam", "unknown")
        + ", Java " + System.getProperty("java.version") + ")";
  }

  static void printHelp(PrintStream out) {
    out.println("sfu-triage — correlate LiveKit seminar telemetry, logs, metrics and webhook jobs into incident reports.");
    out.println("Usage: java -jar sfu-triage.jar [--inputDir=fixtures | --analytics=... --crashlytics=... ...] [options]");
    out.println("Options take --name=value or --name value.");
    out.println();
    out.println(EXAMPLES);
    out.println();
    out.println(EXIT_CODES);
    out.println();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(new PrintStream(buf, true, StandardCharsets.UTF_8), TriageOptions.class);
    String beam = buf.toString(StandardCharsets.UTF_8);
    // Beam's help states PipelineOptions' own default; a run without --runner uses ours.
    out.print(beam.replaceFirst("(  --runner=<Class>\\R)    Default: DirectRunner\\R(?:    .*\\R)+",
        "$1    Default: " + DEFAULT_RUNNER + " (embedded, local). Choices: " + String.join(", ", runners())
            + (dataflowPresent() ? "" : "; DataflowRunner in a jar built with mvn -Pdataflow package") + ".\n"));
  }

  /**
   * The arguments as Beam parses them: {@code --name value} joined to {@code --name=value} (except
   * for a boolean option followed by something that is no boolean), and the default runner added.
   */
  static String[] normalize(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean bareOption = a.startsWith("--") && a.length() > 2 && !a.contains("=");
      if (bareOption && i + 1 < args.length && !args[i + 1].startsWith("--") && takesValue(a.substring(2), args[i + 1])) {
        out.add(a + "=" + args[++i]);
      } else {
        out.add(a);
      }
    }
    if (out.stream().noneMatch(a -> a.startsWith("--runner="))) {
      out.add("--runner=" + DEFAULT_RUNNER);
    }
    // Not --reIterableGroupByKeyResult: every grouped input is read once (util/OnePassJoin), and the
    // flag would make Flink hold every group whole (a 100 000-participant session ran out of a 2 GB heap).
    return out.toArray(new String[0]);
  }

  /**
   * What a run on a runner gets unless its command line says otherwise; set on the parsed options, so
   * that a run that goes in process parses no runner's options (LeanOptions). On Flink: no defensive
   * deep copy of every element between chained steps ({@code --fasterCopy}): no step mutates its input
   * (the DirectRunner's immutability check proves it in the tests), and the copies cost more than the
   * parsing (docs/BENCHMARKS.md).
   */
  static void runnerDefaults(PipelineOptions options, String[] args) {
    if (options.getRunner() == FlinkRunner.class && Arrays.stream(args).noneMatch(a -> a.startsWith("--fasterCopy"))) {
      options.as(FlinkPipelineOptions.class).setFasterCopy(true);
    }
  }

  private static boolean takesValue(String name, String next) {
    String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (Method m : TriageOptions.class.getMethods()) {
      if ((m.getName().equals("get" + cap) || m.getName().equals("is" + cap)) && m.getParameterCount() == 0) {
        Class<?> t = m.getReturnType();
        if (t == boolean.class || t == Boolean.class) {
          return next.equalsIgnoreCase("true") || next.equalsIgnoreCase("false");
        }
        return true;
      }
    }
    return true; // a runner's or Beam's own option (--project, --tempLocation, --flinkMaster, ...): all take values
  }

  /**
   * Refuses a runner that cannot run sfu-triage from this jar, in one line: the test harnesses,
   * Dataflow in a jar built without it, and names that are no runner.
   */
  static void checkRunner(String[] normalized) {
    String runner = null;
    for (String a : normalized) {
      if (a.startsWith("--runner=")) {
        runner = a.substring("--runner=".length()).trim();
      }
    }
    if (runner == null) {
      return;
    }
    String simple = runner.substring(runner.lastIndexOf('.') + 1);
    String choices = String.join(", ", runners());
    if ((simple.equalsIgnoreCase("DataflowRunner") || simple.equalsIgnoreCase("Dataflow")) && !dataflowPresent()) {
      throw new RunConfig.UsageException("--runner=" + runner + ": this jar is built without the Dataflow runner; "
          + "build it with mvn -Pdataflow package (README: Production), or choose one of " + choices);
    }
    if (simple.toLowerCase(Locale.ROOT).startsWith("test")) {
      throw new RunConfig.UsageException("--runner=" + runner + " is a test harness, not a runner for reports; choose one of "
          + choices);
    }
    // Beam takes a registered runner's simple name in any case, with or without the "Runner" suffix.
    if (!runners().stream().anyMatch(r -> r.equalsIgnoreCase(simple) || r.equalsIgnoreCase(simple + "Runner"))) {
      throw new RunConfig.UsageException("--runner=" + runner + ": unknown runner; choose one of " + choices);
    }
  }

  /** The runners a report can run on from this jar, the default first. */
  static List<String> runners() {
    List<String> out = new ArrayList<>(List.of(DEFAULT_RUNNER, "DirectRunner", "SparkRunner"));
    if (dataflowPresent()) {
      out.add("DataflowRunner");
    }
    return out;
  }

  private static boolean dataflowPresent() {
    try {
      Class.forName(DATAFLOW_RUNNER, false, CommandLine.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
