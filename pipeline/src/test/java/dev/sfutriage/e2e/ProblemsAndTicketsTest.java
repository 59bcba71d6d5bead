package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** problems.jsonl groups the incidents of a shared root cause; tickets the run cannot answer say so. */
class ProblemsAndTicketsTest {
  @TempDir Path tmp;

  @Test
  void sharedCausesBecomeOneProblemAndEveryIncidentCarriesItsProblem() throws IOException {
    Path tickets = tmp.resolve("tickets.csv");
    String shipped = Files.readString(Runs.FIXTURES.resolve("tickets/tickets.csv"), StandardCharsets.UTF_8);
    Files.writeString(tickets, shipped.stripTrailing() + "\n"
        + "SUP-9001,5effcc11-2afa-4577-a278-f8d47c3ea6be,usr_52161e28,android,2026-11-20T08:00:00Z,\"Old problem from last week\"\n",
        StandardCharsets.UTF_8);
    Runs.Result r = Runs.nightly(tmp.resolve("out"), "--tickets=" + tickets);

    List<JsonNode> incidents = r.jsonl("incidents.jsonl");
    List<JsonNode> problems = r.jsonl("problems.jsonl");
    Map<String, JsonNode> problemById = new HashMap<>();
    for (JsonNode p : problems) {
      problemById.put(p.get("problem_id").asText(), p);
    }
    Set<String> listed = new TreeSet<>();
    problems.forEach(p -> p.get("incident_ids").forEach(id -> listed.add(id.asText())));
    for (JsonNode i : incidents) {
      JsonNode p = problemById.get(Runs.text(i, "problem_id"));
      assertTrue(p != null, "incident without a problem: " + i);
      assertEquals(Runs.text(i, "symptom") + "/" + Runs.text(i, "cause"), Runs.text(p, "symptom") + "/" + Runs.text(p, "cause"));
      assertTrue(i.get("checks").isArray(), "checks missing: " + i);
    }
    assertEquals(incidents.size(), listed.size(), "every incident is in exactly one problem");
    // S03: three users refused by the same 503 are one problem of three users.
    JsonNode outage = problems.stream().filter(p -> Runs.text(p, "cause").equals("livekit_config_missing")).findFirst().get();
    assertEquals(3, outage.get("users").size(), outage.toString());
    assertEquals(3, outage.get("incident_count").asInt());
    assertEquals(problems.size(), r.summary().path("problem_count").asInt());
    // No-access is the user's own: a problem of one.
    problems.stream().filter(p -> Runs.text(p, "cause").equals("no_access"))
        .forEach(p -> assertEquals(1, p.get("incident_count").asInt(), p.toString()));

    JsonNode old = r.jsonl("tickets.jsonl").stream().filter(t -> Runs.text(t, "ticket_id").equals("SUP-9001")).findFirst().get();
    assertEquals("out_of_scope", Runs.text(old, "status"));
    assertTrue(Runs.text(old, "reason").contains("outside the run's data window"), old.toString());
  }
}
