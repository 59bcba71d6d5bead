package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture day with its tickets, as the report shows it: S03's three users refused by the same 503
 * are one problem card of "3 users" (not three cards), which lists the ticket that matched one of
 * them; every incident and problem carries its drill-down command; the title names the run.
 */
class ReportProblemsEndToEndTest {
  @TempDir Path tmp;

  @Test
  void theFixtureDaysSharedOutageIsOneCardWithItsTicketAndDrillDown() {
    Runs.Result r = Runs.nightly(tmp.resolve("out"), "--tickets=" + Runs.FIXTURES.resolve("tickets/tickets.csv"));
    String html = String.join("\n", Runs.lines(r.dir.resolve("report.html")));
    String md = String.join("\n", Runs.lines(r.dir.resolve("report.md")));
    List<JsonNode> problems = r.jsonl("problems.jsonl");
    JsonNode outage = problems.stream().filter(p -> Runs.text(p, "cause").equals("livekit_config_missing")).findFirst().get();
    long shared = problems.stream().filter(p -> p.path("incident_count").asInt() > 1).count();

    Matcher cards = Pattern.compile("<article id=\"p(\\d+)\"[^>]*>.*?</article>", Pattern.DOTALL).matcher(html);
    String outageCard = null;
    int problemCards = 0;
    while (cards.find()) {
      problemCards++;
      if (cards.group().contains("livekit_config_missing")) {
        outageCard = cards.group();
      }
    }
    assertEquals(shared, problemCards, "one card per problem of several incidents");
    assertTrue(outageCard != null && outageCard.contains("<span class=\"badge users\">3 users</span>"), String.valueOf(outageCard));
    for (JsonNode u : outage.get("users")) {
      assertTrue(outageCard.contains(Runs.text(u, "user_id")), "affected user listed: " + u);
    }
    assertTrue(outageCard.contains("<code>SUP-4102</code> matched"), "the ticket of one of its users");
    assertTrue(outageCard.contains("--seminarId=5effcc11-2afa-4577-a278-f8d47c3ea6be"), "drill-down command");
    assertEquals(r.jsonl("incidents.jsonl").size() - outage.get("incident_count").asInt() + 1
        - problems.stream().filter(p -> p != outage && p.path("incident_count").asInt() > 1)
            .mapToInt(p -> p.path("incident_count").asInt() - 1).sum(),
        Pattern.compile("<article id=\"[ip]\\d+\"").matcher(html).results().count(), "every other incident keeps its card");
    r.jsonl("incidents.jsonl").forEach(i -> assertTrue(Runs.text(i, "drilldown").startsWith("java -jar "), i.toString()));
    problems.forEach(p -> assertTrue(Runs.text(p, "drilldown").startsWith("java -jar "), p.toString()));
    // A ticket run names its scope.
    assertTrue(md.startsWith("# sfu-triage Incident report \u2014 all seminars, 2026-11-23 (UTC)"), md.substring(0, 120));
    assertEquals("all seminars, 2026-11-23 (UTC)", r.summary().path("run").path("scope_label").asText());
  }
}
