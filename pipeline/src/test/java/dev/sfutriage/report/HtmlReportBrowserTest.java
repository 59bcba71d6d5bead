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
