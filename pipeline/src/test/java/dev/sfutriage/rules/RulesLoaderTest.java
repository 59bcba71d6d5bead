package dev.sfutriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesLoaderTest {
  static final String ROOM = "seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})";
  @TempDir Path dir;

  @Test
  void theDefaultRulesHoldEverySymptomAndCauseOfTheContract() {
    RuleSet rules = RulesLoader.loadDefault(ROOM);
    Map<String, List<String>> causes = new TreeMap<>();
    for (Symptom s : rules.symptoms) {
      causes.put(s.id, s.causes.stream().map(c -> c.id).sorted().toList());
    }
    assertEquals(Map.of(
        "token_fetch_failed", List.of("backend_error", "livekit_config_missing", "no_access", "seminar_not_live", "unknown"),
        "stuck_connecting", List.of("room_not_created", "unknown", "websocket_blocked"),
        "media_dropped", List.of("unknown", "webhook_backlog"),
        "recording_missing", List.of("unknown", "webhook_failed", "webhook_not_delivered", "webhook_signature_mismatch"),
        "connect_with_token_failed", List.of("device_clock_skew", "invalid_ws_url", "token_expired", "unknown")), causes);
    assertEquals(Symptom.Scope.SESSION, rules.symptom("media_dropped").scope);
    assertEquals(120_000_000L, rules.participantWindowMicros);
  }

  @Test
  void aCauseNeedsTheSourcesItsConditionsName() {
    RuleSet rules = RulesLoader.loadDefault(ROOM);
    Map<String, java.util.Set<String>> needs = new TreeMap<>();
    for (Cause c : rules.symptom("recording_missing").causes) {
      needs.put(c.id, c.needs);
    }
    assertEquals(Map.of("webhook_failed", java.util.Set.of("backend_logs", "webhook_jobs"),
        "webhook_signature_mismatch", java.util.Set.of("backend_logs"), "webhook_not_delivered", java.util.Set.of("webhook_jobs"),
        "unknown", java.util.Set.of()), needs);
    assertEquals(java.util.Set.of("backend_logs", "metrics", "webhook_jobs"), rules.symptom("media_dropped").causes.get(0).needs);
    assertEquals(List.of("recording_missing/webhook_failed", "recording_missing/webhook_not_delivered"),
        rules.causesNeeding().get("webhook_jobs").stream().filter(c -> c.startsWith("recording_missing/")).toList());
  }

  @Test
  void anExplicitNeedsAddsToTheDerivedOnesAndIsChecked() throws IOException {
    String cause = "      - id: c\n        severity: low\n        needs: [crashlytics]\n"
        + "        when: {related: {match: {where: {status_code: 503}}}}\n        summary: x\n        resolution: y\n"
        + "      - {id: unknown, severity: low, summary: x, resolution: y}\n";
    String symptom = "  - id: s\n    scope: participant\n    detect:\n      events:\n        - {event: e}\n    causes:\n";
    Path f = dir.resolve("needs.yaml");
    Files.writeString(f, minimal(symptom + cause));
    assertEquals(java.util.Set.of("crashlytics"), RulesLoader.load(f, ROOM).symptom("s").causes.get(0).needs);
    String msg = loadError(minimal(symptom + cause.replace("[crashlytics]", "[crashlytix]")));
    assertEquals(true, msg.matches("rules\\.yaml:\\d+: unknown source 'crashlytix' in needs \\(expected one of "
        + "\\[analytics, crashlytics, backend_logs, webhook_jobs, metrics\\]\\)"), msg);
    assertEquals(true, loadError(minimal(symptom + "      - {id: unknown, severity: low, needs: [metrics], summary: x, resolution: y}\n"))
        .contains("'needs' without 'when'"), "needs on the unconditional cause");
  }

  private String minimal(String symptom) {
    return "version: 2\nsessions:\n  start: {event: session_started}\n  end: {event: session_ended}\nsymptoms:\n" + symptom;
  }

  private String loadError(String yaml) throws IOException {
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, yaml);
    return assertThrows(RulesException.class, () -> RulesLoader.load(f, ROOM)).getMessage().replace(f.toString(), "rules.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
      "{event: e, wehre: {a: 1}}; rules.yaml:10: unknown key 'wehre' (expected one of [event, source, where])",
      "{event: e, where: {state: {equals: x}}}; rules.yaml:10: unknown operator 'equals' on field 'state'",
      "{event: e, source: analytic}; rules.yaml:10: unknown source 'analytic'",
      "{event: e, where: {status_code: {gt: high}}}; rules.yaml:10: operator 'gt' needs a number, got 'high'",
      "{event: e, where: {error: {matches: '(['}}}; rules.yaml:10: not a valid regular expression"})
  void badMatchesFailWithFileLineAndProblem(String match, String expected) throws IOException {
    String yaml = minimal("  - id: s\n    scope: participant\n    detect:\n      events:\n        - " + match
        + "\n    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    String msg = loadError(yaml);
    assertEquals(true, msg.startsWith(expected), msg);
  }

  @Test
  void episodeConstructsAreCheckedWhereTheyAreWritten() throws IOException {
    String unlessInSession = minimal("  - id: s\n    scope: session\n    detect:\n      events:\n"
        + "        - match: {event: e}\n          unless: [{match: {event: ok}, before: 5m}]\n"
        + "    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals(true, loadError(unlessInSession).startsWith("rules.yaml:11: 'unless' looks at one user's events"),
        loadError(unlessInSession));
    String unlessWithoutSpan = minimal("  - id: s\n    scope: participant\n    detect:\n      events:\n"
        + "        - match: {event: e}\n          unless: [{match: {event: ok}}]\n"
        + "    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals("rules.yaml:11: unless needs a span: before, after or within (e.g. before: 5m)", loadError(unlessWithoutSpan));
    String supersedesNothing = minimal("  - id: s\n    scope: participant\n    supersedes: [nope]\n"
        + "    detect: {events: [{event: e}]}\n    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals(true, loadError(supersedesNothing).contains("symptom 's' supersedes 'nope', which must be another"
        + " participant-scope symptom of this file"), loadError(supersedesNothing));
    String withinOnAbsence = minimal("  - id: s\n    scope: participant\n    detect:\n      within: 5m\n"
        + "      absence: {anchor: {event: a}, missing: {event: b}, wait: 1m}\n"
        + "    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals("rules.yaml:9: 'within' applies to event detections; an absence has 'wait'", loadError(withinOnAbsence));
    String countAtMost = minimal("  - id: s\n    scope: participant\n    detect: {events: [{event: e}], count: \"< 3\"}\n"
        + "    causes:\n      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals(true, loadError(countAtMost).contains("a detection count must be 'at least' a positive number"),
        loadError(countAtMost));
  }

  @Test
  void structuralMistakesAreNamed() throws IOException {
    String noFallback = minimal("  - id: s\n    scope: participant\n    detect: {events: [{event: e}]}\n    causes:\n"
        + "      - id: a\n        severity: low\n        summary: x\n        resolution: y\n        when: {trigger: {state: x}}\n");
    assertEquals("rules.yaml:10: the last cause of 's' must have no 'when', so that every incident gets a cause (usually 'unknown')",
        loadError(noFallback));
    String relatedInSession = minimal("  - id: s\n    scope: session\n    detect: {events: [{event: e}]}\n    causes:\n"
        + "      - id: a\n        severity: low\n        summary: x\n        resolution: y\n        when: {related: {match: {event: x}}}\n"
        + "      - {id: unknown, severity: low, summary: x, resolution: y}\n");
    assertEquals("rules.yaml:14: 'related' looks at one user's events and is only allowed in participant scope", loadError(relatedInSession));
    assertEquals("rules.yaml:7: scope must be 'participant' or 'session', got 'seminar'",
        loadError(minimal("  - id: s\n    scope: seminar\n    detect: {events: [{event: e}]}\n    causes: []\n")));
    assertEquals("rules.yaml:3: not valid YAML: mapping values are not allowed here",
        loadError("version: 2\nsymptoms:\n  - id: s: t\n"));
    assertEquals(true, loadError("version: 1\n").startsWith("rules.yaml:1: unsupported rules version 1 (this build reads version 2"));
    String badPlaceholder = minimal("  - id: s\n    scope: participant\n    detect: {events: [{event: e}]}\n    causes:\n"
        + "      - {id: unknown, severity: low, summary: 'hello {usr}', resolution: y}\n");
    assertEquals(true, loadError(badPlaceholder).startsWith("rules.yaml:10: unknown placeholder {usr}"));
    assertEquals("missing.yaml: rules file not found",
        assertThrows(RulesException.class, () -> RulesLoader.load(Path.of("missing.yaml"), ROOM)).getMessage());
  }
}
