package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: Debian's headless Chromium loads it from file://, and the test reads
 * the console log, the DOM after load and a screenshot. Without Chromium the test fails (a report
 * that was never rendered by a browser is not tested), it never skips.
 */
class HtmlReportBrowserTest {
  private static final long TIMEOUT_SECONDS = 90;
  /** Chromium's console lines on stderr: {@code INFO:CONSOLE:12] "msg", source: file://… (12)}, older {@code CONSOLE(12)}. */
  private static final Pattern CONSOLE = Pattern.compile("(?m)^.*(?::CONSOLE[:(\\]]|\\bCONSOLE\\(\\d+\\)|Uncaught ).*$");

  @TempDir static Path dir;
  private static Path chromium;
  private static Path report;

  @BeforeAll
  static void renderReport() throws IOException {
    chromium = findChromium();
    report = dir.resolve("report.html");
    Files.writeString(report, HtmlReport.render(ReportSamples.realistic(120, 42)), StandardCharsets.UTF_8);
  }

  @Test
  void loadsFromDiskWithoutConsoleErrors() throws Exception {
    Run run = chromium(report, "--dump-dom");
    assertEquals(List.of(), consoleLines(run.stderr), "console output while loading report.html");
    assertTrue(run.stdout.contains("</html>"), "chromium printed the DOM");
  }

  @Test
  void consoleCheckDetectsAnErrorOnAPageThatHasOne() throws Exception {
    Path bad = dir.resolve("console-error.html");
    Files.writeString(bad, "<!doctype html><html><body><p>tiny</p><script>console.error('boom')</script></body></html>",
        StandardCharsets.UTF_8);
    Run run = chromium(bad, "--dump-dom");
    List<String> lines = consoleLines(run.stderr);
    assertEquals(1, lines.size(), "exactly the one console.error of the page: " + lines);
    assertTrue(lines.get(0).contains("boom"), lines.get(0));
  }

  @Test
  void domAfterLoadHasTheChartAndOnlyEscapedMarkup() throws Exception {
    String dom = chromium(report, "--dump-dom").stdout;
    Matcher svg = Pattern.compile("<svg[^>]*id=\"hourly-chart\".*?</svg>", Pattern.DOTALL).matcher(dom);
    assertTrue(svg.find(), "the hourly chart's <svg> is in the DOM");
    int bars = ReportRenderTest.count(svg.group(), "<rect class=\"bar\"");
    assertTrue(bars > 0 && ReportRenderTest.count(svg.group(), "<rect") >= bars, "bars in the chart: " + bars);

    assertTrue(dom.contains("u-mallory could not connect: &lt;script&gt;alert(\"x\")&lt;/script&gt;"),
        "the script text of the summary is text in the DOM");
    assertTrue(dom.contains("error=\"&gt;&lt;img src=x onerror=alert(1)&gt;"), "the img markup of the evidence is text");
    assertFalse(dom.toLowerCase().contains("<script"), "no <script> element in the DOM");
    assertFalse(dom.toLowerCase().contains("<img"), "no <img> element in the DOM");
    assertFalse(Pattern.compile("<[a-zA-Z][^>]*\\son[a-z]+\\s*=").matcher(dom).find(), "no event-handler attribute in the DOM");
    assertTrue(dom.contains("<a href=\"#i1\">#1</a>") && dom.contains("<article id=\"i1\""), "index links to the incidents");
  }

  @Test
  void screenshotIsNotBlank() throws Exception {
    Path png = dir.resolve("report.png");
    Run run = chromium(report, "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars");
    assertEquals(List.of(), consoleLines(run.stderr), "console output while taking the screenshot");
    assertTrue(Files.size(png) > 0, "screenshot written");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          nonWhite++;
        }
      }
    }
    double share = (double) nonWhite / ((long) img.getWidth() * img.getHeight());
    assertTrue(colours.size() > 200, "distinct colours: " + colours.size());
    assertTrue(share > 0.2, "non-white share: " + share);
  }

  // ---- layout at a desktop and a phone width ----

  /** Headless Chromium will not make a window narrower than 500 px: a phone is an iframe of that width. */
  static final int PHONE = 390;
  static final int DESKTOP = 1280;

  @Test
  void readableOnAPhoneAndOnADesktop() throws Exception {
    Path problem = dir.resolve("problem-report.html");
    Files.writeString(problem, HtmlReport.render(ReportSamples.sharedProblem(16, MarkdownSafetyTest.USER, MarkdownSafetyTest.ERROR,
        "status_code=500 error=" + "room create failed after a long wait ".repeat(8))), StandardCharsets.UTF_8);
    Path timeline = dir.resolve("timeline.html");
    RunResult t = ReportSamples.sharedProblem(3, "usr_00", "timeout", "status_code=500");
    List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
    t.incidents.forEach(i -> i.path("evidence").forEach(e -> events.add(((com.fasterxml.jackson.databind.node.ObjectNode) e)
        .deepCopy().put("seminar_id", "sem-777").put("session_id", "s-77").put("user_id", i.path("user_id").asText()))));
    Files.writeString(timeline, JobOutputs.timeline(Templates.HTML, JobOutputs.markTimeline(events, t.incidents), t.incidents,
        "seminar sem-777"), StandardCharsets.UTF_8);
    for (Path page : List.of(report, problem, timeline)) {
      for (int width : List.of(DESKTOP, PHONE)) {
        Layout l = layout(page, width);
        String where = page.getFileName() + " at " + width + " px: ";
        assertEquals(width, l.viewport, where + "viewport");
        assertTrue(l.scrollWidth <= l.viewport, where + "the page scrolls sideways: " + l.scrollWidth + " px wide; " + l.wide);
        assertTrue(l.cells > 10, where + "table cells measured: " + l.cells);
        assertEquals(List.of(), l.narrow, where + "cells narrower than their longest word");
        if (page != timeline) {
          assertTrue(l.chartLabels > 0 && l.minChartFont >= 10.0, where + "chart labels: " + l.chartLabels + ", smallest "
              + l.minChartFont + " px");
        }
      }
    }
    // Pictures to look at (the test's temp folder; kept when SFU_TRIAGE_SCREENSHOTS names a folder).
    String keep = System.getenv("SFU_TRIAGE_SCREENSHOTS");
    for (int width : List.of(DESKTOP, PHONE)) {
      Path png = (keep == null || keep.isEmpty() ? dir : Path.of(keep)).resolve("problem-report-" + width + ".png");
      Path frame = framed(problem, width, 2400, "");
      chromium(frame, "--screenshot=" + png, "--window-size=" + Math.max(500, width) + ",2400", "--hide-scrollbars");
      assertTrue(Files.size(png) > 0);
    }
  }

  @Test
  void theLayoutProbeSeesAPageThatScrollsSideways() throws Exception {
    Path bad = dir.resolve("too-wide.html");
    Files.writeString(bad, "<!doctype html><html><body><table><tr><td style=\"width:20px;overflow-wrap:anywhere\">"
        + "unbreakable</td><td style=\"min-width:900px\">x</td></tr></table></body></html>",
        StandardCharsets.UTF_8);
    Layout l = layout(bad, PHONE);
    assertTrue(l.scrollWidth > l.viewport, "scroll width " + l.scrollWidth);
    assertEquals(1, l.narrow.size(), l.narrow.toString());
  }

  private static final class Layout {
    int viewport;
    int scrollWidth;
    int cells;
    int chartLabels;
    double minChartFont;
    List<String> narrow = new ArrayList<>();
    List<String> wide = new ArrayList<>();
  }

  /**
   * Loads the page in an iframe of the given width and measures it from outside: the page's own CSP
   * forbids scripts, the frame (srcdoc, same origin) does not. A cell is too narrow when its longest
   * word (what a browser may not break: no space, a hyphen ends it; up to half the viewport wide —
   * longer tokens may wrap anywhere) is broken over lines or sticks out of the cell.
   */
  private static Layout layout(Path page, int width) throws Exception {
    Path frame = framed(page, width, 3000, LAYOUT_PROBE);
    String dom = chromium(frame, "--dump-dom", "--window-size=" + Math.max(500, width + 40) + ",3000", "--hide-scrollbars").stdout;
    Matcher m = Pattern.compile("<pre id=\"layout\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the layout probe ran: " + dom.substring(Math.max(0, dom.length() - 500)));
    com.fasterxml.jackson.databind.JsonNode j = dev.sfutriage.util.Json.MAPPER.readTree(m.group(1).replace("&quot;", "\"")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    Layout l = new Layout();
    l.viewport = j.path("viewport").asInt();
    l.scrollWidth = j.path("scrollWidth").asInt();
    l.cells = j.path("cells").asInt();
    l.chartLabels = j.path("chartLabels").asInt();
    l.minChartFont = j.path("minChartFont").asDouble();
    j.path("narrow").forEach(n -> l.narrow.add(n.asText()));
    j.path("wide").forEach(n -> l.wide.add(n.asText()));
    return l;
  }

  private static Path framed(Path page, int width, int height, String script) throws IOException {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    String srcdoc = html.replace("&", "&amp;").replace("\"", "&quot;");
    Path frame = dir.resolve(page.getFileName() + "." + width + (script.isEmpty() ? ".shot" : ".probe") + ".html");
    Files.writeString(frame, "<!doctype html><html><head><meta charset=\"utf-8\"><style>body{margin:0}iframe{border:0;display:block}"
        + "</style></head><body><iframe id=\"f\" style=\"width:" + width + "px;height:" + height + "px\" srcdoc=\"" + srcdoc
        + "\"></iframe>" + script + "</body></html>", StandardCharsets.UTF_8);
    return frame;
  }

  private static final String LAYOUT_PROBE = String.join("\n", "<script>",
      "window.addEventListener('load', function () {",
      "  var f = document.getElementById('f'), d = f.contentDocument, w = f.contentWindow;",
      "  var vw = d.documentElement.clientWidth;",
      "  var res = {viewport: vw, scrollWidth: d.documentElement.scrollWidth, cells: 0, narrow: [], chartLabels: 0, minChartFont: 999};",
      "  var probe = d.createElement('span');",
      "  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;left:0;top:0';",
      "  d.body.appendChild(probe);",
      "  var cells = d.querySelectorAll('td, th');",
      "  for (var i = 0; i < cells.length; i++) {",
      "    var c = cells[i];",
      "    if (!c.getClientRects().length) continue;",
      "    res.cells++;",
      "    var walker = d.createTreeWalker(c, NodeFilter.SHOW_TEXT), best = null;",
      "    for (var n = walker.nextNode(); n; n = walker.nextNode()) {",
      "      var re = /[^\\s-]+-?/g, m;",
      "      while ((m = re.exec(n.data))) if (!best || m[0].length > best.word.length) best = {node: n, start: m.index, word: m[0]};",
      "    }",
      "    if (!best) continue;",
      "    var r = d.createRange();",
      "    r.setStart(best.node, best.start);",
      "    r.setEnd(best.node, best.start + best.word.length);",
      "    var rects = r.getClientRects();",
      "    if (!rects.length) continue;",
      "    var cs = w.getComputedStyle(best.node.parentElement);",
      "    probe.style.font = cs.font; probe.style.letterSpacing = cs.letterSpacing; probe.style.textTransform = cs.textTransform;",
      "    probe.textContent = best.word;",
      "    var need = probe.getBoundingClientRect().width, tops = {};",
      "    for (var k = 0; k < rects.length; k++) tops[Math.round(rects[k].top)] = 1;",
      "    var lines = Object.keys(tops).length, cell = c.getBoundingClientRect();",
      "    var sticksOut = rects[rects.length - 1].right > cell.right + 1 || rects[0].left < cell.left - 1;",
      "    if (need <= vw * 0.5 && (lines > 1 || sticksOut))",
      "      res.narrow.push(best.word.slice(0, 40) + ': ' + Math.round(need) + ' px word, ' + lines + ' lines, cell '",
      "        + Math.round(cell.width) + ' px');",
      "  }",
      "  res.wide = [];",
      "  var all = d.body.getElementsByTagName('*');",
      "  for (var e = 0; e < all.length && res.wide.length < 5; e++) {",
      "    var b = all[e].getBoundingClientRect();",
      "    var inner = all[e].scrollWidth > all[e].clientWidth + 1 && w.getComputedStyle(all[e]).overflowX === 'visible';",
      "    if ((b.right > vw + 0.5 || inner) && !all[e].closest('.chartbox'))",
      "      res.wide.push(all[e].tagName + '#' + all[e].id + '.' + all[e].className + ' right ' + Math.round(b.right) + ' scroll '",
      "        + all[e].scrollWidth + '/' + all[e].clientWidth);",
      "  }",
      "  var texts = d.querySelectorAll('svg.chart text');",
      "  for (var t = 0; t < texts.length; t++) {",
      "    var svg = texts[t].ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;",
      "    res.chartLabels++;",
      "    res.minChartFont = Math.min(res.minChartFont, parseFloat(w.getComputedStyle(texts[t]).fontSize) * scale);",
      "  }",
      "  var pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(res);",
      "  document.body.appendChild(pre);",
      "});",
      "</script>");

  // ---- running Chromium ----

  private static final class Run {
    final String stdout;
    final String stderr;

    Run(String stdout, String stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private static Run chromium(Path page, String... extra) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "profile");
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
    cmd.addAll(List.of(extra));
    cmd.add(page.toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd + "\n" + tail(err));
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "chromium exit code; stderr:\n" + tail(err));
    return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr);
  }

  private static List<String> consoleLines(String stderr) {
    List<String> lines = new ArrayList<>();
    Matcher m = CONSOLE.matcher(stderr);
    while (m.find()) {
      lines.add(m.group());
    }
    return lines;
  }

  /**
   * Debian's chromium on the PATH (or /usr/bin), or the one SFU_TRIAGE_CHROMIUM names; fails, never
   * skips, when it is missing.
   */
  private static Path findChromium() {
    String override = System.getenv("SFU_TRIAGE_CHROMIUM");
    boolean overridden = override != null && !override.isEmpty();
    List<Path> candidates = new ArrayList<>();
    if (overridden) {
      candidates.add(Path.of(override));
    } else {
      for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!d.isEmpty()) {
          candidates.add(Path.of(d, "chromium"));
        }
      }
      candidates.add(Path.of("/usr/bin/chromium"));
    }
    for (Path c : candidates) {
      if (Files.isRegularFile(c) && Files.isExecutable(c)) {
        return c;
      }
    }
    return fail("chromium not found: apt-get install chromium (or run bin/test)"
        + (overridden ? "; SFU_TRIAGE_CHROMIUM=" + override + " is not an executable file" : ""));
  }

  private static String tail(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream().collect(Collectors.joining("\n"));
  }
}
