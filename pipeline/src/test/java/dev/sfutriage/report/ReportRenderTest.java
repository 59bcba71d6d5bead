package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** report.md and report.html from a hand-made RunResult: the numbers, their agreement, escaping, determinism. */
class ReportRenderTest {
  private static final String M = "\u2212"; // the minus sign of deltas

  @Test
  void modelCountsSymptomCausePlatformVersionHourAndDeltas() {
    ReportModel m = new ReportModel(ReportSamples.small(true));

    assertEquals(List.of(
        List.of("token_fetch_failed", "livekit_config_missing", "2", "+2"),
        List.of("token_fetch_failed", "no_access", "1", M + "2"),
        List.of("media_dropped", "webhook_backlog", "1", M + "1"),
        List.of("stuck_connecting", "websocket_blocked", "1", "+1"),
        List.of("recording_missing", "webhook_not_delivered", "0", M + "2")), causeRows(m));
    assertEquals(Map.of("IOS", 2L, "ANDROID", 1L, "WEB", 1L, ReportModel.NONE, 1L), counts(m.platforms));
    assertEquals(List.of(ReportModel.NONE, "4.2.0", "4.1.9"), names(m.appVersions));
    assertEquals(Map.of(ReportModel.NONE, 2L, "4.2.0", 2L, "4.1.9", 1L), counts(m.appVersions));

    assertEquals(24, m.chart.buckets.size());
    assertFalse(m.chart.hourOfDay);
    assertEquals(List.of("media_dropped", "stuck_connecting", "token_fetch_failed"), m.symptoms);
    assertEquals(EXPECTED_HOURS, hoursFromModel(m));

    ReportModel.Headline k = m.headline;
    assertEquals(List.of(5L, 3L, 3L, 4L, 2L, 3L), List.of(k.incidents, k.criticalHigh, k.seminars, k.users, k.pending, k.unreadable));
    assertEquals(List.of(-2L, 1L, 2L), List.of(k.incidentsDelta, k.pendingDelta, k.unreadableDelta));

    assertEquals("sem-101", m.seminars.get(0).seminarId);
    assertEquals(3, m.seminars.get(0).incidents);
    assertEquals(2, m.seminars.get(0).users);
    assertEquals("critical", m.seminars.get(0).worstSeverity);
  }

  @Test
  void markdownAndHtmlShowTheSameNumbers() {
    RunResult r = ReportSamples.small(true);
    String md = MarkdownReport.render(r);
    String html = HtmlReport.render(r);
    ReportModel m = new ReportModel(r);

    List<List<String>> causes = causeRows(m);
    assertEquals(causes, mdTables(md, "## Incidents by symptom and cause").get(0));
    assertEquals(causes, htmlTable(html, "t-causes"));

    List<List<String>> mdPlatforms = mdTables(md, "## Platforms and app versions").get(0);
    List<List<String>> mdVersions = mdTables(md, "## Platforms and app versions").get(1);
    assertEquals(List.of(List.of("IOS", "2", "40%"), List.of(ReportModel.NONE, "1", "20%"), List.of("ANDROID", "1", "20%"),
        List.of("WEB", "1", "20%")), mdPlatforms);
    assertEquals(mdPlatforms, firstColumns(htmlTable(html, "t-platforms"), 3));
    assertEquals(List.of(List.of(ReportModel.NONE, "2", "40%"), List.of("4.2.0", "2", "40%"), List.of("4.1.9", "1", "20%")),
        mdVersions);
    assertEquals(mdVersions, firstColumns(htmlTable(html, "t-versions"), 3));

    assertEquals(EXPECTED_HOURS, hoursFromMarkdown(md));
    assertEquals(EXPECTED_HOURS, hoursFromSvg(html));

    Map<String, String> mdHeadline = new LinkedHashMap<>();
    for (List<String> row : mdTables(md, "## Overview").get(0)) {
      mdHeadline.put(row.get(0), row.get(1) + " " + row.get(2));
    }
    assertEquals(Map.of("incidents", "5 " + M + "2", "critical + high", "3 ", "seminars affected", "3 ",
        "users affected", "4 ", "pending", "2 +1", "unreadable records", "3 +2"), mdHeadline);
    Map<String, String> htmlHeadline = new LinkedHashMap<>();
    Matcher card = Pattern.compile("<div class=\"v\">(\\d+)</div><div class=\"l\">([^<]+)</div>(?:<div class=\"d [a-z]+\">"
        + "(\\S+) since last night</div>)?").matcher(html);
    while (card.find()) {
      htmlHeadline.put(card.group(2).toLowerCase(), card.group(1) + " " + (card.group(3) == null ? "" : card.group(3)));
    }
    assertEquals(mdHeadline, htmlHeadline);

    List<List<String>> seminars = List.of(
        List.of("sem-101", "3", "2", "critical", "token_fetch_failed \u00d72, media_dropped \u00d71"),
        List.of("sem-202", "1", "1", "low", "token_fetch_failed \u00d71"),
        List.of("sem-303", "1", "1", "medium", "stuck_connecting \u00d71"));
    assertEquals(seminars, mdTables(md, "## Most affected seminars").get(0));
    assertEquals(seminars, htmlTable(html, "t-seminars"));

    List<List<String>> sources = List.of(
        List.of("analytics", "100", "2", "3", "10", "85", "event_not_ingested 10"),
        List.of("backend_logs", "50", "1", "0", "20", "29", "outside_window 20"));
    assertEquals(sources, mdTables(md, "## Data quality").get(0));
    assertEquals(sources, htmlTable(html, "t-sources"));
    List<List<String>> dead = List.of(List.of("analytics", "truncated JSON", "2"), List.of("backend_logs", "<b>not JSON</b>", "1"));
    assertEquals(dead, mdTables(md, "### Unreadable records by reason").get(0));
    assertEquals(dead, htmlTable(html, "t-dead"));
    assertEquals(List.of(List.of("backend_logs", "4"), List.of("webhook_jobs", "1")), mdTables(md, "### Unattributed events").get(0));
    assertEquals(List.of(List.of("backend_logs", "4"), List.of("webhook_jobs", "1")), htmlTable(html, "t-unattributed"));
    List<List<String>> pending = mdTables(md, "### Pending absences").get(0);
    assertEquals(pending, htmlTable(html, "t-pending"));
    assertEquals(List.of("stuck_connecting", "sem-404", "s-2", "u-eve", "2026-11-23 23:59", "2026-11-24 00:01",
        "'quote' & <b>bold</b> reason"), pending.get(1));
  }

  @Test
  void eachIncidentHasItsTimelineResolutionAndChecklistSteps() {
    RunResult r = ReportSamples.small(false);
    String md = MarkdownReport.render(r);
    String html = HtmlReport.render(r);
    for (int k = 1; k <= 5; k++) {
      assertTrue(md.contains("### #" + k + " · "), "incident " + k + " in markdown");
      assertTrue(html.contains("<article id=\"i" + k + "\""), "incident " + k + " in html");
      assertTrue(html.contains("<a href=\"#i" + k + "\">#" + k + "</a>"), "index links to incident " + k);
    }
    String first = between(html, "<article id=\"i1\"", "</article>");
    assertTrue(first.contains("<li><span class=\"step\">3</span>" + HtmlReport.esc(ReportSamples.CHECKLIST.get(2)) + "</li>"));
    assertFalse(first.contains(HtmlReport.esc(ReportSamples.CHECKLIST.get(3))), "step 4 does not apply to token fetches");
    assertTrue(first.contains("Resolution for token_fetch_failed/livekit_config_missing"));
    assertTrue(first.contains("<td class=\"t\">02:10:05.120</td><td>backend_logs</td><td>http_request</td>"));
    String mdFirst = between(md, "### #1 ", "### #2 ");
    assertTrue(mdFirst.contains("- **Step 2.** Pull Crashlytics traces for livekit\\_\\* breadcrumbs.")
        || mdFirst.contains("- **Step 2.** Pull Crashlytics traces for livekit_\\* breadcrumbs."), mdFirst);
    assertTrue(mdFirst.contains("| 02:10:05.120 | backend_logs | http_request | method=GET path=/sfu/token status_code=503"));
    String last = between(html, "<article id=\"i5\"", "</article>");
    assertTrue(last.contains("(no such step in the guide"), "an unknown step number is named, not dropped");
    assertTrue(last.contains("<td class=\"t\">11-24 00:00:10.500</td>"), "another day's evidence shows its date");
  }

  @Test
  void withoutLastNightThereIsNoSinceLastNightColumn() {
    RunResult r = ReportSamples.small(false);
    String md = MarkdownReport.render(r);
    String html = HtmlReport.render(r);
    assertFalse(md.contains("since last night"));
    assertFalse(html.contains("since last night"));
    assertNull(new ReportModel(r).headline.incidentsDelta);
    assertEquals(List.of("token_fetch_failed", "livekit_config_missing", "2"), htmlTable(html, "t-causes").get(0));
    assertEquals(4, htmlTable(html, "t-causes").size(), "no zero rows for last night's causes");
  }

  @Test
  void markupInTheDataIsEscapedInHtmlAndInertInMarkdown() {
    RunResult r = ReportSamples.small(true);
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);

    assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;"), "summary escaped");
    assertTrue(html.contains("error=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "evidence escaped");
    assertTrue(html.contains("u-dee&#39;&quot;&gt;&lt;svg onload=alert(2)&gt;"), "user id escaped");
    assertTrue(html.contains("&lt;b&gt;not JSON&lt;/b&gt;"), "dead-letter reason escaped");
    for (String forbidden : List.of("<script", "<img", "<svg onload", "<b>not", "<b>bold", "<iframe", "<object", "<embed", "<link", "<base")) {
      assertFalse(html.toLowerCase().contains(forbidden), "html contains " + forbidden);
    }
    assertFalse(Pattern.compile("<[a-zA-Z][^>]*\\son[a-z]+\\s*=").matcher(html).find(), "an event-handler attribute");
    assertFalse(html.contains("hunter2") || html.contains("eyJhbGci") || html.contains("s3cr3t"), "secrets are redacted before escaping");

    assertFalse(md.contains("<"), "no raw HTML at all in markdown");
    assertTrue(md.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; & 'more'"));
    assertTrue(md.contains("error=\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(md.contains("a\\|b \\`tick\\` \\[link\\](javascript:alert(3))"), "no table break, code span or link");
    assertFalse(md.contains("hunter2") || md.contains("eyJhbGci") || md.contains("s3cr3t"), "secrets are redacted before escaping");
    for (String line : md.split("\n")) {
      if (line.startsWith("| ") && line.contains("livekit_connect_with_token_failed")) {
        assertEquals(6, line.split("(?<!\\\\)\\|", -1).length, "evidence row keeps its 4 cells: " + line);
      }
    }
  }

  @Test
  void theFinalRedactionPassLeavesTheReportsAsTheyAre() {
    // OutputFiles redacts every file it writes; data is redacted before escaping (escaping would hide
    // "password": "…" from the Redactor), so the second pass must find nothing left to change.
    for (RunResult r : List.of(ReportSamples.small(true), ReportSamples.realistic(60, 5))) {
      String html = HtmlReport.render(r);
      String md = MarkdownReport.render(r);
      assertEquals(html, Redactor.redact(html));
      assertEquals(md, Redactor.redact(md));
    }
  }

  @Test
  void htmlIsSelfContained() {
    String html = HtmlReport.render(ReportSamples.realistic(80, 7));
    Matcher attr = Pattern.compile("\\s(href|src|xlink:href|action|srcset|poster|data)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    while (attr.find()) {
      assertTrue(attr.group(1).equals("href") && attr.group(2).startsWith("#"), "external reference: " + attr.group());
    }
    for (String forbidden : List.of("url(", "@import", "<script", "<link", "@font-face", "http-equiv=\"refresh")) {
      assertFalse(html.contains(forbidden), "html contains " + forbidden);
    }
    assertTrue(html.contains("default-src 'none'"), "a CSP forbids scripts and remote loads");
  }

  @Test
  void renderingIsDeterministic() throws Exception {
    RunResult r = ReportSamples.small(true);
    RunResult copy = new RunResult(reparse(r.incidents), reparse(r.pending), Json.MAPPER.readTree(r.summary.toString()),
        new TreeMap<>(r.deadLetterReasons), Json.MAPPER.readTree(r.previousSummary.toString()), List.copyOf(r.checklist));
    assertEquals(HtmlReport.render(r), HtmlReport.render(r));
    assertEquals(HtmlReport.render(r), HtmlReport.render(copy));
    assertEquals(MarkdownReport.render(r), MarkdownReport.render(r));
    assertEquals(MarkdownReport.render(r), MarkdownReport.render(copy));
    RunResult big = ReportSamples.realistic(300, 11);
    assertEquals(HtmlReport.render(big), HtmlReport.render(ReportSamples.realistic(300, 11)));
  }

  @Test
  void anEmptyNightRendersWithAnEmptyChart() {
    RunResult full = ReportSamples.small(false);
    RunResult empty = new RunResult(List.of(), List.of(), full.summary, Map.of(), null, ReportSamples.CHECKLIST);
    String html = HtmlReport.render(empty);
    String md = MarkdownReport.render(empty);
    assertEquals(0, count(html, "<rect class=\"bar\""));
    assertTrue(html.contains("id=\"hourly-chart\"") && html.contains("No incidents in this window."));
    assertTrue(md.contains("| incidents | 0 |") && md.contains("No incidents in this window."));
    assertEquals(24, count(md, "| 2026-11-23 "));
  }

  @Test
  void longEvidenceIsCappedWithANote() {
    ArrayNode ev = Json.MAPPER.createArrayNode();
    for (int k = 0; k < 75; k++) {
      ev.add(ReportSamples.ev("analytics", String.format("2026-11-23T10:%02d:00.000Z", k % 60), "livekit_room_state", "row " + k));
    }
    RunResult r = ReportSamples.small(false);
    ((ObjectNode) r.incidents.get(0)).set("evidence", ev);
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);
    String first = between(html, "<article id=\"i1\"", "</article>");
    assertEquals(30, count(first, "<td class=\"t\">"));
    assertTrue(first.contains("+45 more in incidents.jsonl"));
    assertTrue(first.contains(">row 19<") && first.contains(">row 65<") && first.contains(">row 74<"));
    assertFalse(first.contains(">row 20<") || first.contains(">row 64<"));
    assertTrue(first.contains("Evidence \u00b7 75 events"));
    assertTrue(between(md, "### #1 ", "### #2 ").contains("*+45 more in incidents.jsonl*"));
  }

  @Test
  void aThousandIncidentsStayAReasonableSize() {
    RunResult r = ReportSamples.realistic(1000, 3);
    long t0 = System.nanoTime();
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(html.length() < 8_000_000, "html is " + html.length() + " chars");
    assertTrue(md.length() < 5_000_000, "md is " + md.length() + " chars");
    // Redaction of every shown string dominates (~1 µs per character); this only guards against blow-ups.
    assertTrue(ms < 30_000, "rendering took " + ms + " ms");
    assertEquals(1001, count(html, "<article id=\"i"));
  }

  @Test
  void aSharedCauseIsOneProblemCardWithItsSixteenUsers() {
    RunResult r = ReportSamples.sharedProblem(16, "usr_00", "timeout", "status_code=500 error=room create failed");
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);

    assertEquals(1, count(html, "<article id=\"p"), "one card for the problem");
    assertEquals(1, count(html, "<article id=\"i"), "the unrelated incident keeps its own card");
    String card = between(html, "<article id=\"p1\"", "</article>");
    assertTrue(card.contains("<span class=\"badge users\">16 users</span>"), card.substring(0, 600));
    assertTrue(card.contains("ANDROID \u00d76, IOS \u00d75, WEB \u00d75"), "platforms of the users");
    assertTrue(card.contains("2026-11-23T08:00:00.000Z \u2192 2026-11-23T08:14:15.000Z"), "the span of the problem");
    assertEquals(16, count(between(card, "<table class=\"members", "</table>"), "<tr><td data-label=\"user\">"),
        "the per-user first-seen list");
    assertTrue(card.contains("Resolution"), "the resolution");
    assertEquals(2, count(between(card, "<table class=\"evidence", "</table>"), "<td class=\"t\">"),
        "the evidence of one representative incident, not of all sixteen");
    for (int k = 0; k < 16; k++) {
      assertFalse(html.contains("<article id=\"i" + (k + 1) + "\""), "no card of its own for a member: " + k);
    }
    // The index by time still lists every incident, pointing at the problem; by severity lists problems.
    assertEquals(17, htmlTable(html, "t-index").size());
    assertEquals(16, count(between(html, "<table id=\"t-index\"", "</table>"), "<a href=\"#p1\">"));
    List<List<String>> bySeverity = htmlTable(html, "t-severity");
    assertEquals(List.of(List.of("P1", "high", "2026-11-23 08:00", "stuck_connecting", "room_not_created", "16", "sem-777"),
        List.of("#17", "low", "2026-11-23 09:30", "token_fetch_failed", "no_access", "1", "sem-777")), bySeverity);

    assertEquals(1, count(md, "\n### P1 \u00b7 HIGH \u00b7 Participant stuck connecting \u2014 `room_not_created` \u00b7 16 users\n"));
    assertEquals(1, count(md, "\n### #"), "only the unrelated incident has a card of its own: " + md);
    assertEquals(16, mdTables(md, "**Affected users**").get(0).size());
  }

  @Test
  void theRunsScopeGapsTicketsAndDrillDownsAreShown() {
    RunResult r = ReportSamples.sharedProblem(3, "usr_00", "timeout", "status_code=500");
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);
    String scope = "seminar sem-777, 2026-11-23 08:00\u201312:00 (UTC)";
    assertTrue(html.contains("<h1>Incident report \u2014 " + scope + "</h1>"), between(html, "<header>", "</header>"));
    assertTrue(md.startsWith("# sfu-triage Incident report \u2014 " + scope + "\n"), md.substring(0, 200));

    // The gap is loud and comes before everything else.
    String gap = "webhook_jobs not given: recording causes cannot be decided";
    assertTrue(html.indexOf(gap) > 0 && html.indexOf(gap) < html.indexOf("<nav"), "gap before the contents");
    assertTrue(html.contains("<div class=\"alert-box\" id=\"gaps\" role=\"alert\">"));
    List<String> firstLines = List.of(md.split("\n")).subList(0, 6);
    assertTrue(firstLines.contains("> - " + gap), firstLines.toString());
    // Without gaps there is no warning box.
    assertFalse(HtmlReport.render(ReportSamples.small(false)).contains("class=\"alert-box\""));
    assertFalse(MarkdownReport.render(ReportSamples.small(false)).contains("Not everything could be decided"));

    String card = between(html, "<article id=\"p1\"", "</article>");
    assertTrue(card.contains("<li><code>SUP-7001</code> matched \u00b7 Stuck on &quot;connecting&quot; | timeout</li>"), card);
    assertFalse(card.contains("SUP-7002"), "a ticket is listed with the incident it matched only");
    assertTrue(between(html, "<article id=\"i4\"", "</article>").contains("SUP-7002"));
    assertTrue(md.contains("- `SUP-7001` matched \u00b7 Stuck on \"connecting\" \\| timeout"), md);

    String problemCommand = "java -jar pipeline/target/sfu-triage.jar --inputDir=fixtures --seminarId=sem-777 --sessionId=s-77"
        + " --from=2026-11-23T08:00:00Z --to=2026-11-23T10:00:00Z --output=out/drilldown/";
    assertTrue(card.contains("<code>" + problemCommand), card);
    assertTrue(md.contains("**The whole story** (ad-hoc run): `" + problemCommand), md);
    String lone = r.incidents.get(3).path("drilldown").asText();
    assertEquals("java -jar pipeline/target/sfu-triage.jar --inputDir=fixtures --seminarId=sem-777 --userId=usr_lone"
        + " --from=2026-11-23T08:00:00Z --to=2026-11-23T11:00:00Z --output=out/drilldown/inc-lone", lone);
    assertEquals(problemCommand, r.problems.get(0).path("drilldown").asText().replaceAll("[0-9a-f]{12}$", ""));
  }

  @Test
  void longEvidenceDetailIsShortenedOnlyInTheHtmlWithTheWholeTextOnExpand() {
    String longDetail = "error=" + "x".repeat(400) + " tail-of-the-detail";
    RunResult r = ReportSamples.small(false);
    ((ObjectNode) r.incidents.get(0).path("evidence").get(0)).put("detail", longDetail);
    String html = HtmlReport.render(r);
    String md = MarkdownReport.render(r);
    assertTrue(html.contains("<td class=\"detail\"><details><summary>" + longDetail.substring(0, ReportView.DETAIL_SHOWN)
        + "\u2026</summary>" + longDetail + "</details></td>"));
    assertTrue(md.contains("| " + longDetail + " |"), "the Markdown keeps the whole detail");
  }

  // ---- expected hours and parsers ----

  /** hour → symptom → incidents, non-empty cells only. */
  private static final Map<String, Map<String, Long>> EXPECTED_HOURS = Map.of(
      "2026-11-23 02:00", Map.of("token_fetch_failed", 2L, "media_dropped", 1L),
      "2026-11-23 05:00", Map.of("token_fetch_failed", 1L),
      "2026-11-23 23:00", Map.of("stuck_connecting", 1L));

  private static Map<String, Map<String, Long>> hoursFromModel(ReportModel m) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (ReportModel.Bucket b : m.chart.buckets) {
      for (int s = 0; s < m.symptoms.size(); s++) {
        if (b.perSymptom[s] > 0) {
          out.computeIfAbsent(b.label(false), k -> new TreeMap<>()).put(m.symptoms.get(s), b.perSymptom[s]);
        }
      }
      assertEquals(java.util.Arrays.stream(b.perSymptom).sum(), b.total);
    }
    return out;
  }

  private static Map<String, Map<String, Long>> hoursFromMarkdown(String md) {
    List<String> lines = List.of(between(md, "## Incidents per hour by symptom", "\n## ").split("\n"));
    List<String> header = cells(lines.stream().filter(l -> l.startsWith("| hour")).findFirst().orElseThrow());
    Map<String, Map<String, Long>> out = new TreeMap<>();
    int rows = 0;
    for (String l : lines) {
      if (!l.startsWith("| 2026")) {
        continue;
      }
      rows++;
      List<String> c = cells(l);
      long sum = 0;
      for (int s = 2; s < header.size() - 1; s++) {
        long v = Long.parseLong(c.get(s));
        sum += v;
        if (v > 0) {
          out.computeIfAbsent(c.get(0), k -> new TreeMap<>()).put(header.get(s), v);
        }
      }
      assertEquals(Long.parseLong(c.get(1)), sum, "total of " + c.get(0));
    }
    assertEquals(24, rows, "24 hourly rows");
    return out;
  }

  private static Map<String, Map<String, Long>> hoursFromSvg(String html) {
    String svg = between(html, "<svg class=\"chart\"", "</svg>");
    Matcher bar = Pattern.compile("<rect class=\"bar\"[^>]*><title>([0-9-]+ [0-9:]+) UTC \u00b7 ([a-z_]+) \u00d7 (\\d+)</title></rect>")
        .matcher(svg);
    Map<String, Map<String, Long>> out = new TreeMap<>();
    while (bar.find()) {
      out.computeIfAbsent(bar.group(1), k -> new TreeMap<>()).put(bar.group(2), Long.parseLong(bar.group(3)));
    }
    assertEquals(count(svg, "<rect class=\"bar\""), out.values().stream().mapToInt(Map::size).sum());
    return out;
  }

  private static List<List<String>> causeRows(ReportModel m) {
    List<List<String>> rows = new ArrayList<>();
    for (ReportModel.CauseRow c : m.causes) {
      List<String> row = new ArrayList<>(List.of(c.symptom, c.cause, Long.toString(c.count)));
      if (c.delta != null) {
        row.add(ReportModel.signed(c.delta));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The data rows of every Markdown table under a heading (up to the next heading of any level). */
  private static List<List<List<String>>> mdTables(String md, String heading) {
    String section = md.substring(md.indexOf(heading + "\n") + heading.length() + 1);
    int next = section.indexOf("\n#");
    section = next < 0 ? section : section.substring(0, next);
    List<List<List<String>>> tables = new ArrayList<>();
    List<List<String>> current = null;
    int line = 0;
    for (String l : section.split("\n")) {
      if (!l.startsWith("|")) {
        current = null;
        continue;
      }
      if (current == null) {
        current = new ArrayList<>();
        tables.add(current);
        line = 0;
      }
      if (line++ >= 2) {
        current.add(cells(l));
      }
    }
    return tables;
  }

  private static List<String> cells(String line) {
    String[] parts = line.split("(?<!\\\\)\\|", -1);
    List<String> out = new ArrayList<>();
    for (int k = 1; k < parts.length - 1; k++) {
      out.add(parts[k].trim().replaceAll("^`(.*)`$", "$1").replace("&lt;", "<").replace("&gt;", ">")
          .replaceAll("\\\\([\\\\|`*\\[\\]_#])", "$1"));
    }
    return out;
  }

  /** The body rows of an HTML table: each cell's text, tags removed and entities decoded. */
  private static List<List<String>> htmlTable(String html, String id) {
    String table = between(html, "<table id=\"" + id + "\"", "</table>");
    String body = table.substring(table.indexOf("<tbody>"));
    List<List<String>> rows = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(body);
    while (tr.find()) {
      List<String> row = new ArrayList<>();
      Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(tr.group(1));
      while (td.find()) {
        row.add(td.group(1).replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&#39;", "'").replace("&amp;", "&").trim());
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<List<String>> firstColumns(List<List<String>> rows, int n) {
    List<List<String>> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.subList(0, n)));
    return out;
  }

  private static Map<String, Long> counts(List<ReportModel.Count> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(c -> out.put(c.name, c.count));
    return out;
  }

  private static List<String> names(List<ReportModel.Count> counts) {
    List<String> out = new ArrayList<>();
    counts.forEach(c -> out.add(c.name));
    return out;
  }

  private static List<JsonNode> reparse(List<JsonNode> nodes) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      out.add(Json.MAPPER.readTree(n.toString()));
    }
    return out;
  }

  static String between(String s, String from, String to) {
    int a = s.indexOf(from);
    assertTrue(a >= 0, "missing: " + from);
    int b = s.indexOf(to, a + from.length());
    return b < 0 ? s.substring(a) : s.substring(a, b);
  }

  static int count(String s, String what) {
    int n = 0;
    for (int k = s.indexOf(what); k >= 0; k = s.indexOf(what, k + what.length())) {
      n++;
    }
    return n;
  }
}
