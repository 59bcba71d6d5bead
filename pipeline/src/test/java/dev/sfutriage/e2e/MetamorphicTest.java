package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.fixtures.FixtureDays;
import dev.sfutriage.fixtures.IncidentKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metamorphic relations on the fixture day, each a regenerated day (real export shapes) run
 * through the real main and compared with the run on the committed fixture day:
 *
 * <ul>
 *   <li>adding healthy seminars (--seminars 40) changes no incident: the same
 *       (symptom, cause, seminar, session, user) set with the same incident ids;
 *   <li>adding the one benign event that resolves a planted incident (--neutralize ID: a good
 *       token before the client's failure, a connected after the last connecting, reconnects
 *       spread so no 3 lie within 10 min, a recording_finished 10 min after the end) removes
 *       exactly that incident; every other incident stays, with its id and cause — except that the
 *       other incidents of a shared root cause (its problem) may change cause: a user who connects
 *       shows the room existed after all. The connect_with_token
 *       failures (CT-*) and the backend refusals (TF-1 … TF-4, TF-6) have no such event.
 * </ul>
 */
class MetamorphicTest {
  @TempDir static Path tmp;
  static Map<String, String> base;
  /** incident_id → the ids of the other incidents of its problem (a shared root cause). */
  static Map<String, Set<String>> problemMates = new TreeMap<>();

  @BeforeAll
  static void runTheFixtureDay() {
    // Relations are checked against this run; whether it equals the ground truth is
    // NightlyEndToEndTest's question.
    Runs.Result r = Runs.nightly(tmp.resolve("base"));
    base = incidents(r);
    for (JsonNode p : r.jsonl("problems.jsonl")) {
      Set<String> ids = new TreeSet<>();
      p.get("incident_ids").forEach(id -> ids.add(id.asText()));
      for (String id : ids) {
        Set<String> mates = new TreeSet<>(ids);
        mates.remove(id);
        problemMates.put(id, mates);
      }
    }
  }

  /**
   * The incidents with the cause left out for the given ids: when the benign event resolves one
   * incident of a shared root cause (a user connects to the room that "was never created"), the
   * others of that problem keep their identity but their cause rightly changes (the room existed).
   */
  private static Map<String, String> withoutCauseFor(Map<String, String> incidents, Set<String> ids) {
    Map<String, String> out = new TreeMap<>();
    incidents.forEach((key, id) -> {
      if (ids.contains(id)) {
        String[] f = key.split(",", -1);
        f[1] = "(cause of a shared problem)";
        out.put(String.join(",", f), id);
      } else {
        out.put(key, id);
      }
    });
    return out;
  }

  /** key (symptom,cause,seminar,session,user) → incident_id. */
  private static Map<String, String> incidents(Runs.Result r) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode i : r.jsonl("incidents.jsonl")) {
      String key = IncidentKeys.of(List.of(i)).iterator().next();
      String previous = out.put(key, Runs.text(i, "incident_id"));
      if (previous != null) { // two episodes with the same identity: keep both ids
        out.put(key, previous + "+" + Runs.text(i, "incident_id"));
      }
    }
    return out;
  }

  private static Runs.Result runOn(Path day, String name) {
    Runs.Result r = Runs.run(tmp.resolve(name), "--inputDir=" + day, "--date=2026-11-23");
    assertEquals(0, r.exit, "exit code; stderr: " + r.err);
    return r;
  }

  private static String diff(Map<String, String> expected, Map<String, String> actual) {
    Set<String> extra = new TreeSet<>(actual.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    Set<String> missing = new TreeSet<>(expected.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    Set<String> common = new TreeSet<>(extra);
    common.retainAll(missing);
    extra.removeAll(common);
    missing.removeAll(common);
    return "\n  not expected: " + String.join("\n                ", extra)
        + "\n  missing:      " + String.join("\n                ", missing);
  }

  @Test
  void addingHealthySeminarsChangesNoIncident() {
    Path day = FixtureDays.write(tmp.resolve("plus16"), "--seminars", "40");
    assertEquals(IncidentKeys.expected(Runs.EXPECTED.resolve("incidents.csv")),
        IncidentKeys.expected(day.resolve("expected/incidents.csv")), "the generator's ground truth");
    Map<String, String> plus = incidents(runOn(day, "plus16-out"));
    assertEquals(base, plus, "incidents (key → incident_id) with 16 more seminars:" + diff(base, plus));
  }

  static Stream<String> neutralizable() {
    return FixtureDays.neutralizableIds().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("neutralizable")
  void theBenignEventRemovesExactlyItsIncident(String scenario) {
    Path day = FixtureDays.write(tmp.resolve("n-" + scenario), "--neutralize", scenario);
    Set<String> removed = new TreeSet<>(IncidentKeys.expected(Runs.EXPECTED.resolve("incidents.csv")));
    removed.removeAll(IncidentKeys.expected(day.resolve("expected/incidents.csv")));
    assertEquals(1, removed.size(), scenario + " drops one incident from the ground truth: " + removed);
    String key = removed.iterator().next();
    assertTrue(base.containsKey(key), scenario + ": the fixture day's run lacks " + key);

    Set<String> mates = problemMates.getOrDefault(base.get(key), Set.of());
    Map<String, String> expected = new TreeMap<>(base);
    expected.remove(key);
    expected = withoutCauseFor(expected, mates);
    Map<String, String> actual = withoutCauseFor(incidents(runOn(day, "n-" + scenario + "-out")), mates);
    assertEquals(expected, actual, scenario + " (" + FixtureDays.neutralizable().get(scenario)
        + ") should remove only " + key + ":" + diff(expected, actual));
  }
}
