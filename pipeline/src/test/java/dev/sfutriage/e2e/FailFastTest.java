package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options and inputs: one line that says what and where, exit 2, and nothing written. */
class FailFastTest {
  @TempDir Path tmp;

  private void assertFailsBeforeWork(String expectedLine, String... args) {
    Path out = tmp.resolve("out");
    Runs.Result r = Runs.run(out, args);
    assertEquals(2, r.exit, r.err);
    assertEquals(expectedLine, r.err.strip());
    assertFalse(r.err.strip().contains("\n"), "one line: " + r.err);
    assertFalse(Files.exists(out), "no outputs on a usage error");
    assertEquals("", r.out);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--analytics=nowhere/*.json|sfu-triage: --analytics: no file matches 'nowhere/*.json'",
      "--backendLogs=missing.log|sfu-triage: --backendLogs: no file matches 'missing.log'",
      "--bogus=1|sfu-triage: Class interface dev.sfutriage.options.TriageOptions missing a property named 'bogus'.",
      "--date=23/11/2026|sfu-triage: --date: expected YYYY-MM-DD, got '23/11/2026'",
      "--from=yesterday|sfu-triage: --from: not an ISO-8601 time: 'yesterday' (e.g. 2026-11-23T00:00:00Z)",
      "--roomNamePattern=room-(.*)|sfu-triage: --roomNamePattern needs the named groups (?<seminar>...) and (?<session>...)"})
  void badOptionsAreOneLineErrors(String arg, String expected) {
    assertFailsBeforeWork(expected, "--inputDir=" + Runs.FIXTURES, arg);
  }

  @Test
  void fromAfterToIsRefused() {
    assertFailsBeforeWork("sfu-triage: --from (2026-11-24T00:00:00.000Z) is not before --to (2026-11-23T00:00:00.000Z)",
        "--inputDir=" + Runs.FIXTURES, "--from=2026-11-24T00:00:00Z", "--to=2026-11-23T00:00:00Z");
  }

  @Test
  void noInputAtAllIsRefused() {
    assertFailsBeforeWork("sfu-triage: no input: give --inputDir or at least one of --analytics, --crashlytics, "
        + "--backendLogs, --webhookJobs, --metrics (see --help)");
  }

  @Test
  void anUnreadableFileIsRefusedBeforeWork() throws IOException {
    Path f = tmp.resolve("app.jsonl");
    Files.writeString(f, "{}\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    boolean root = Files.isReadable(f); // root reads anything: then this case cannot happen
    if (!root) {
      assertFailsBeforeWork("sfu-triage: --backendLogs: cannot read '" + f + "' (permission denied)", "--backendLogs=" + f);
    }
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertTrue(Files.isReadable(f));
  }

  @Test
  void anInvalidRulesFileNamesFileLineAndProblem() throws IOException {
    Path rules = tmp.resolve("rules.yaml");
    Files.writeString(rules, "version: 2\nsessions:\n  start: {event: a}\n  end: {event: b}\nsymptoms:\n"
        + "  - id: x\n    scope: participant\n    detect: {events: [{event: e, wehre: {}}]}\n    causes: []\n");
    assertFailsBeforeWork("sfu-triage: invalid rules: " + rules + ":8: unknown key 'wehre' (expected one of [event, source, where])",
        "--inputDir=" + Runs.FIXTURES, "--rules=" + rules);
  }

  @Test
  void helpListsEveryOptionWithItsDescription() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--help");
    assertEquals(0, r.exit);
    for (String option : new String[] {"--analytics", "--crashlytics", "--backendLogs", "--webhookJobs", "--metrics",
        "--tickets", "--from", "--to", "--seminarId", "--sessionId", "--userId", "--rules", "--output", "--inputDir",
        "--validateQueries"}) {
      assertTrue(r.out.contains(option + "="), option + " in --help");
    }
    assertFalse(r.out.contains("--bigQueryEndpoint"), "tests' and emulators' option stays out of --help");
    assertTrue(r.out.contains("Prometheus /api/v1/query_range answers"));
  }

  @Test
  void versionComesFromTheBuild() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--version");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.strip().matches("sfu-triage \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Apache Beam 2\\.\\d+\\.\\d+, Java [0-9.]+\\)"), r.out);
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void aValueAfterASpaceIsTakenLikeAfterAnEqualsSign() {
    // Both values reach their options: the folder is found, and the date is the one refused.
    assertFailsBeforeWork("sfu-triage: --date: expected YYYY-MM-DD, got '23/11/2026'",
        "--inputDir", Runs.FIXTURES.toString(), "--date", "23/11/2026");
  }

  @Test
  void helpStatesTheRealDefaultRunnerTheExitCodesAndExamples() {
    Runs.Result r = Runs.run(tmp.resolve("out"), "--help");
    assertEquals(0, r.exit);
    assertTrue(r.out.contains("--runner=<Class>\n    Default: FlinkRunner (embedded, local). Choices: FlinkRunner, DirectRunner, SparkRunner"),
        r.out);
    assertFalse(r.out.contains("Default: DirectRunner"), "Beam's own default is not this tool's");
    assertFalse(r.out.contains("TestFlinkRunner"), "test harnesses are no choice");
    assertTrue(r.out.contains("Exit codes:") && r.out.contains("  4  nothing to report"), r.out);
    assertEquals(3, r.out.lines().filter(l -> l.startsWith("  java -jar sfu-triage.jar")).count(), r.out);
  }

  @Test
  void badOutputsAreRefusedBeforeAnyWork() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String in = "--inputDir=" + Runs.FIXTURES;
    for (String[] c : new String[][] {
        {"", "sfu-triage: --output is empty: give the folder for the outputs, e.g. --output=out/nightly"},
        {"/", "sfu-triage: --output=/: the root of a file system cannot hold the outputs (they are staged beside the folder);"
            + " give a folder below it, e.g. --output=/reports/2026-11-23"},
        {file.toString(), "sfu-triage: --output=" + file + ": is a file, not a folder"},
        {file + "/day", "sfu-triage: --output=" + file + "/day: '" + file + "' is a file, not a folder"}}) {
      Runs.Result r = Runs.run(c[0], tmp.resolve("unused"), in);
      assertEquals(2, r.exit, c[0] + ": " + r.err);
      assertEquals(c[1], r.err.strip());
      assertEquals("", r.out);
    }
    assertEquals("x", Files.readString(file), "the file is untouched");
    Path locked = Files.createDirectory(tmp.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (!Files.isWritable(locked)) { // root writes anywhere: then this case cannot happen
      assertFailsBeforeWork("sfu-triage: --output=" + locked.resolve("day") + ": cannot write in '" + locked + "' (permission denied)",
          in, "--output=" + locked.resolve("day"));
    }
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--runner=DataflowRunner|sfu-triage: --runner=DataflowRunner: this jar is built without the Dataflow runner; build it with"
          + " mvn -Pdataflow package (README: Production), or choose one of FlinkRunner, DirectRunner, SparkRunner",
      "--runner=TestFlinkRunner|sfu-triage: --runner=TestFlinkRunner is a test harness, not a runner for reports; choose one of"
          + " FlinkRunner, DirectRunner, SparkRunner",
      "--runner=Bogus|sfu-triage: --runner=Bogus: unknown runner; choose one of FlinkRunner, DirectRunner, SparkRunner"})
  void runnersThatCannotRunAReportAreRefused(String arg, String expected) {
    assertFailsBeforeWork(expected, "--inputDir=" + Runs.FIXTURES, arg);
  }

  @Test
  void anUnreachableDatabaseIsOneLineNamingHostAndPortWithTheTraceInALog() throws IOException {
    Path out = tmp.resolve("out");
    Runs.Result r = Runs.run(out, "--inputDir=" + Runs.FIXTURES, "--date=2026-11-23",
        "--webhookJobsJdbcUrl=jdbc:postgresql://127.0.0.1:1/app", "--webhookJobsJdbcUser=triage");
    assertEquals(2, r.exit, r.err);
    String line = r.err.strip();
    assertFalse(line.contains("\n"), "one line: " + r.err);
    assertTrue(line.startsWith("sfu-triage: --webhookJobsJdbcUrl: cannot connect to PostgreSQL at 127.0.0.1:1: "), line);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(full trace: (.+)\\)$").matcher(line);
    assertTrue(m.find(), line);
    Path log = Path.of(m.group(1));
    String trace = Files.readString(log);
    assertTrue(trace.contains("org.postgresql") && trace.contains("at "), trace);
    Files.delete(log);
    assertFalse(Files.exists(out), "nothing written");
  }
}
