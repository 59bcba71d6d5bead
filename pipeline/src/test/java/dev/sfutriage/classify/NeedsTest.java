package dev.sfutriage.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.correlate.GlobalEvents;
import dev.sfutriage.correlate.MetricsIndex;
import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cause's explicit {@code needs}: its conditions name no source (a match over any source), so
 * only the list says it must not be concluded without the backend's logs.
 */
class NeedsTest {
  @TempDir Path dir;

  private RuleSet rules(String needs) throws IOException {
    Path f = dir.resolve("rules.yaml");
    Files.writeString(f, "version: 2\nsessions:\n  start: {event: session_started}\n  end: {event: session_ended}\nsymptoms:\n"
        + "  - id: refused\n    scope: participant\n    undetermined: \"{user_id}: cannot be told without {missing}.\"\n"
        + "    detect:\n      events:\n        - {source: analytics, event: livekit_connect_failed}\n    causes:\n"
        + "      - id: no_access\n        severity: low\n" + needs
        + "        when: {related: {within: 2m, match: {where: {status_code: 403}}}}\n"
        + "        summary: \"{user_id}: no access.\"\n        resolution: grant access\n"
        + "      - {id: unknown, severity: medium, summary: \"{user_id}: no refusal logged.\", resolution: look}\n");
    return RulesLoader.load(f, ClassifierTest.RULES.ingest.roomNamePattern);
  }

  private Incident classify(RuleSet rules, Set<String> available, Integer status) {
    Event.Builder failed = ClassifierTest.client("livekit_connect_failed", ClassifierTest.T0, "u1");
    if (status != null) {
      failed.num("status_code", status.doubleValue());
    }
    List<Incident> out = new Classifier(rules).classifyParticipant(ClassifierTest.SEM, "u1", List.of(failed.build()),
        s -> SessionFacts.empty(rules, ClassifierTest.SEM, s), GlobalEvents.of(List.of()), MetricsIndex.of(List.of(), 0),
        ClassifierTest.DAY, available, new ArrayList<PendingCase>());
    assertEquals(1, out.size());
    return out.get(0);
  }

  @Test
  void aCauseWithoutTheSourceItNeedsIsUndeterminedEvenWhenItsConditionHolds() throws IOException {
    Set<String> clientOnly = Set.of("analytics");
    RuleSet derived = rules("");
    assertEquals("no_access", classify(derived, clientOnly, 403).cause, "without needs the client's 403 decides");

    RuleSet needing = rules("        needs: [backend_logs]\n");
    Incident i = classify(needing, clientOnly, 403);
    assertEquals("unknown", i.cause);
    assertEquals("u1: cannot be told without backend_logs.", i.summary);
    assertFalse(i.sharedCause);

    assertEquals("no_access", classify(needing, Set.of("analytics", "backend_logs"), 403).cause, "given the logs, it holds");
    // A condition already false needs no source: the next cause is concluded, not undetermined.
    Incident none = classify(needing, clientOnly, 500);
    assertEquals("unknown", none.cause);
    assertTrue(none.summary.endsWith("no refusal logged."), none.summary);
  }
}
