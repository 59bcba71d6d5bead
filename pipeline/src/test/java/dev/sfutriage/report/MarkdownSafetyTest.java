package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;

/**
 * Every Markdown output (report.md, timeline.md) rendered to HTML by a CommonMark + GFM-tables
 * renderer, as a Markdown viewer would: hostile data must not add a single element or attribute, and
 * every table keeps its column count. The same output with benign data is the yardstick: both must
 * have the same element structure.
 */
class MarkdownSafetyTest {
  static final String USER = "<img src=x onerror=alert(1)>";
  static final String ERROR = "a | b | c";
  static final String DETAIL = "see ](javascript:alert(1)) [x](javascript:alert(2)) _em_ *strong* `code` <b>bold</b>"
      + "\n# not a heading | cell\n- not a list";
  private static final List<Extension> TABLES = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(TABLES).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(TABLES).build();

  @Test
  void reportMdAddsNoElementFromTheData() {
    String hostile = MarkdownReport.render(ReportSamples.sharedProblem(16, USER, ERROR, DETAIL));
    String benign = MarkdownReport.render(ReportSamples.sharedProblem(16, "usr_00", "timeout", "status_code=500"));
    assertSafe(hostile, benign);
    // The small night's markup-laden data too (script in a summary, svg in a user id, a JWT in a detail).
    String small = toHtml(MarkdownReport.render(ReportSamples.small(true)));
    assertFalse(Pattern.compile("<(img|script|svg|a|b)[\\s>]").matcher(small).find(), small);
  }

  @Test
  void timelineMdAddsNoElementFromTheData() {
    RunResult h = ReportSamples.sharedProblem(3, USER, ERROR, DETAIL);
    RunResult b = ReportSamples.sharedProblem(3, "usr_00", "timeout", "status_code=500");
    String hostile = JobOutputs.timeline(Templates.MARKDOWN, events(h, USER, DETAIL), h.incidents, "seminar sem-777");
    String benign = JobOutputs.timeline(Templates.MARKDOWN, events(b, "usr_00", "status_code=500"), b.incidents,
        "seminar sem-777");
    assertSafe(hostile, benign);
    assertTrue(hostile.contains("| global |") && hostile.contains("| evidence |"), hostile);
  }

  /** The incidents' evidence as timeline rows, plus one global row. */
  private static List<JsonNode> events(RunResult r, String user, String detail) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode i : r.incidents) {
      for (JsonNode e : i.path("evidence")) {
        ObjectNode x = ((ObjectNode) e).deepCopy();
        x.put("seminar_id", "sem-777").put("session_id", "s-77").put("user_id", i.path("user_id").asText());
        out.add(x);
      }
    }
    ObjectNode g = Json.MAPPER.createObjectNode();
    g.put("timestamp", "2026-11-23T08:01:00.000Z").put("source", "backend_logs").put("event", "livekit_webhook_rejected")
        .putNull("seminar_id").put("user_id", user).put("detail", detail).put("location", "b.jsonl:9");
    out.add(g);
    return JobOutputs.markTimeline(out, r.incidents);
  }

  private static void assertSafe(String hostileMd, String benignMd) {
    String hostile = toHtml(hostileMd);
    String benign = toHtml(benignMd);
    assertEquals(tags(benign), tags(hostile), "the data added or removed elements");
    for (String forbidden : List.of("<img", "<script", "<b>", "<a ", "<h1>not", "<em>em", "<strong>strong")) {
      assertFalse(hostile.contains(forbidden), "rendered markdown contains " + forbidden);
    }
    Matcher attr = Pattern.compile("<[a-z][a-z0-9]*(\\s[^>]*)?>").matcher(hostile);
    while (attr.find()) {
      String a = attr.group(1) == null ? "" : attr.group(1);
      assertTrue(a.isEmpty() || a.matches(" align=\"(left|right|center)\""), "an attribute in " + attr.group());
    }
    assertTrue(hostile.contains("&lt;img src=x onerror=alert(1)&gt;"), "the user id is shown as text");
    assertTrue(Pattern.compile("<td>[^<]*see \\](javascript:alert\\(1\\)) \\[x\\](javascript:alert\\(2\\)) _em_ \\*strong\\*"
        + " `code` &lt;b&gt;bold&lt;/b&gt; # not a heading \\| cell - not a list").matcher(hostile).find()
        || hostile.contains("see ](javascript:alert(1)) [x](javascript:alert(2)) _em_ *strong* `code` &lt;b&gt;bold&lt;/b&gt;"
            + " # not a heading | cell - not a list</td>"), "the detail is one cell of text");
    assertTablesKeepTheirColumns(hostileMd);
  }

  /** Every row of every table has as many (unescaped) cell separators as its header. */
  static void assertTablesKeepTheirColumns(String md) {
    int header = -1;
    for (String line : md.split("\n", -1)) {
      if (!line.startsWith("|")) {
        header = -1;
        continue;
      }
      int pipes = line.split("(?<!\\\\)\\|", -1).length;
      if (header < 0) {
        header = pipes;
      }
      assertEquals(header, pipes, "a row with another column count: " + line);
    }
  }

  static String toHtml(String md) {
    return RENDERER.render(PARSER.parse(md));
  }

  /** The sequence of element names, code spans left out (a plain id is one, an escaped one is not). */
  private static List<String> tags(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<(/?[a-z][a-z0-9]*)").matcher(html);
    while (m.find()) {
      if (!m.group(1).equals("code") && !m.group(1).equals("/code")) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
