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
}
