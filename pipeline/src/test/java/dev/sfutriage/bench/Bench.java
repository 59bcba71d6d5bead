package dev.sfutriage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfutriage.fixtures.IncidentKeys;
import java.io.File;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark ({@code bin/bench}): an N-record day (generated once by BenchDayGenerator and kept),
 * then in one run (a) the parse floor ({@link ParseFloor}, one core) and (b) the real nightly job
 * ({@code java -Xmx.. -jar sfu-triage.jar}), each in its own JVM with its peak RSS read from
 * /proc. Prints records, wall seconds, records/s, peak RSS and job/floor, checks the job's answer
 * against the day's ground truth (incidents and accounting), and appends the row to
 * target/bench/results.md.
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String records = "1M";
    String xmx = "2g";
    String dayArg = null;
    List<String> generatorArgs = new ArrayList<>();
    List<String> jobArgs = new ArrayList<>();
    List<String> jvmArgs = new ArrayList<>();
    boolean peer = false;
    boolean jfr = false;
    boolean reuse = false;
    boolean indexRuns = true;
    int repeat = 3;
    List<String> skip = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = args[++i];
        case "--xmx" -> xmx = args[++i];
        case "--day" -> dayArg = args[++i];
        // the day's shape: K very large seminars of P participants; N seminars of MIN-MAX participants; noise ratio
        case "--large", "--seminars", "--participants", "--noise" -> generatorArgs.addAll(List.of(args[i], args[++i]));
        case "--peer" -> peer = true;
        case "--jfr" -> jfr = true;
        case "--reuse" -> reuse = true;
        case "--no-index" -> indexRuns = false;
        case "--repeat" -> repeat = Integer.parseInt(args[++i]); // short runs: the median of this many
        case "--skip" -> skip.add(args[++i]); // leave out the index-run rows whose name contains this

        case "--jvm" -> jvmArgs.add(args[++i]); // a JVM flag for every job run, e.g. --jvm -XX:TieredStopAtLevel=1
        default -> jobArgs.add(args[i]);
      }
    }
    Path root = Path.of("pipeline/target/bench");
    StringBuilder shape = new StringBuilder(records);
    for (int i = 0; i < generatorArgs.size(); i += 2) {
      shape.append('-').append(generatorArgs.get(i).substring(2)).append(generatorArgs.get(i + 1).replace(':', 'x'));
    }
    String tag = dayArg != null ? Path.of(dayArg).getFileName().toString() : shape.toString();
    Path day = dayArg != null ? Path.of(dayArg) : root.resolve("day-" + tag);
    if (dayArg == null && !Files.exists(day.resolve(".complete"))) {
      List<String> gen = new ArrayList<>(List.of(java(), "-Xmx16g", "-cp", classpath(),
          "dev.sfutriage.fixtures.BenchDayGenerator", "--records", records, "--out", day.toString()));
      gen.addAll(generatorArgs);
      System.out.println("bench: generating " + day + " (once; kept for later runs)");
      Measured g = run(gen, null);
      if (g.exit != 0) {
        throw new IllegalStateException("generator failed:\n" + g.output);
      }
      System.out.print(g.output);
      Files.writeString(day.resolve(".complete"), "");
    }
    long bytes = sizeOf(day);
    Path out = root.resolve("out-" + tag);
    Path rawSeconds = root.resolve("job-" + tag + ".seconds");
    if (reuse && Files.exists(out.resolve("summary.json")) && Files.exists(rawSeconds)) {
      System.out.println("bench: --reuse: the raw-file nightly of " + out + " (" + Files.readString(rawSeconds).trim()
          + " s) is not run again");
    } else {
      rawRun(day, tag, root, out, xmx, jvmArgs, jobArgs, bytes, jfr);
    }
    double raw = Double.parseDouble(Files.readString(rawSeconds).trim());
    if (indexRuns && Files.exists(out.resolve("index/manifest.json"))) {
      indexRuns(day, tag, root, out, xmx, jvmArgs, jobArgs, raw, repeat, skip);
    }
    if (peer) {
      peer(day, tag, root, raw);
    }
  }

  /** The parse floor and the nightly from the raw files: the first table. */
  private static void rawRun(Path day, String tag, Path root, Path out, String xmx, List<String> jvmArgs,
      List<String> jobArgs, long bytes, boolean jfr) throws IOException, InterruptedException {
    Measured floor = run(List.of(java(), "-Xmx" + xmx, "-cp", classpath(), ParseFloor.class.getName(), day.toString()), null);
    if (floor.exit != 0) {
      throw new IllegalStateException("parse floor failed:\n" + floor.output);
    }
    System.out.print("bench: " + floor.output);

    List<String> job = new ArrayList<>(List.of(java(), "-Xmx" + xmx));
    job.addAll(jvmArgs);
    if (jfr) { // a CPU profile of the nightly: jfr print --events jdk.ExecutionSample <file> (docs/BENCHMARKS.md)
      Path recording = root.resolve("job-" + tag + ".jfr").toAbsolutePath();
      job.add("-XX:StartFlightRecording=settings=profile,filename=" + recording);
      System.out.println("bench: profiling the nightly into " + recording);
    }
    job.addAll(List.of("-jar", "pipeline/target/sfu-triage.jar",
        "--inputDir=" + day, "--date=2026-11-23", "--output=" + out, "--quiet=true"));
    job.addAll(jobArgs);
    Measured run = run(job, root.resolve("job-" + tag + ".log"));
    System.out.print(run.output);
    // CPU time (user + sys) is what to compare on a shared machine, where wall time moves with the load.
    System.out.printf(Locale.ROOT, "bench: CPU (user + sys): floor %.1f s, job %.1f s%s%n", floor.cpuSeconds,
        run.cpuSeconds, jvmArgs.isEmpty() ? "" : " (job JVM flags: " + String.join(" ", jvmArgs) + ")");
    if (run.exit != 0) {
      throw new IllegalStateException("the job exited with " + run.exit + ": see " + root.resolve("job-" + tag + ".log"));
    }
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    long read = 0;
    for (JsonNode s : summary.path("sources")) {
      read += s.path("read").asLong();
    }
    String verdict = check(day, out, summary);
    String runner = "--runner=" + summary.path("run").path("engine").asText("?");
    String row = String.format("| %s | %,d | %.1f GB | %.1f s | %.1f s | %,.0f | %.1f | %,d MB | %s | %s |", tag, read,
        bytes / 1e9, floor.seconds, run.seconds, read / run.seconds, run.seconds / floor.seconds, run.peakRssKb / 1024,
        "-Xmx" + xmx + " " + runner.substring("--runner=".length()) + (jobArgs.size() > 1 ? " " + String.join(" ", jobArgs) : ""),
        verdict);
    System.out.println();
    System.out.println("| day | records | input | parse floor (1 core) | job | records/s | job/floor | job peak RSS | job | answer |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    System.out.println(row);
    Files.createDirectories(root);
    Files.writeString(root.resolve("results.md"), row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Files.writeString(root.resolve("job-" + tag + ".seconds"), String.format(Locale.ROOT, "%.1f%n", run.seconds));
  }

  /**
   * The runs people wait for, from the index the nightly wrote, beside their raw-file twins: one
   * seminar's ad-hoc timeline (raw and index, same timeline required), a 10-ticket enrichment, the
   * whole day re-classified (same incidents as the raw nightly required), and the fixed cost: a run
   * that reads next to nothing (a seminar id of no record) — JVM, runner start, planning, finalize.
   */
  private static void indexRuns(Path day, String tag, Path root, Path out, String xmx, List<String> jvmArgs,
      List<String> jobArgs, double raw, int repeat, List<String> skip)
      throws IOException, InterruptedException {
    String seminar = firstSeminar(day);
    Path tickets = root.resolve("tickets10-" + tag + ".csv");
    List<String> ticketLines = Files.readAllLines(ticketFile(day));
    Files.write(tickets, ticketLines.subList(0, Math.min(11, ticketLines.size())));
    // A day with one empty analytics file: the raw path's fixed cost (JVM, options, engine, finalize, commit).
    Path empty = Files.createDirectories(root.resolve("empty-inputs/analytics"));
    Files.write(empty.resolve("events_20261123-000000000000.json"), new byte[0]);
    empty = empty.getParent();
    String runner = "--engine=RUNNER";
    List<String[]> runs = List.of(
        new String[] {"JVM start (--help)", "--help"},
        new String[] {"fixed cost, raw path: a nightly over an empty file (JVM, options, finalize)", "--inputDir=" + empty,
            "--allowEmpty=true"},
        new String[] {"fixed cost, raw path, on the runner", "--inputDir=" + empty, "--allowEmpty=true", runner},
        new String[] {"fixed cost: index run reading ~nothing", "--fromIndex=" + out, "--seminarId=no-such-seminar",
            "--allowEmpty=true"},
        new String[] {"fixed cost: index run reading ~nothing, on the runner", "--fromIndex=" + out,
            "--seminarId=no-such-seminar", "--allowEmpty=true", runner},
        new String[] {"one seminar ad-hoc, raw files", "--inputDir=" + day, "--seminarId=" + seminar},
        new String[] {"one seminar ad-hoc, index", "--fromIndex=" + out, "--seminarId=" + seminar},
        new String[] {"one seminar ad-hoc, index, on the runner", "--fromIndex=" + out, "--seminarId=" + seminar, runner},
        new String[] {"10-ticket enrichment, index", "--fromIndex=" + out, "--tickets=" + tickets},
        new String[] {"re-classify the day, index", "--fromIndex=" + out},
        new String[] {"re-classify the day, index, on the runner", "--fromIndex=" + out, runner});
    List<String> rows = new ArrayList<>();
    Path adhocRaw = null;
    for (int n = 0; n < runs.size(); n++) {
      String[] r = runs.get(n);
      if (skip.stream().anyMatch(r[0]::contains)) {
        continue;
      }
      Path o = root.resolve("out-" + tag + "-run" + n);
      List<String> job = new ArrayList<>(List.of(java(), "-Xmx" + xmx));
      job.addAll(jvmArgs);
      job.addAll(List.of("-jar", "pipeline/target/sfu-triage.jar"));
      job.addAll(List.of(r).subList(1, r.length));
      if (!r[1].equals("--help")) {
        job.addAll(List.of("--date=2026-11-23", "--output=" + o, "--quiet=true"));
        job.addAll(jobArgs);
      }
      Measured m = run(job, root.resolve("job-" + tag + "-run" + n + ".log"));
      // A run shorter than SHORT seconds is as long as the machine's noise (another VM's burst moved
      // these by 1-2 s): it runs `repeat` times and its row gives the median, the range beside it.
      List<Double> walls = new ArrayList<>(List.of(m.seconds));
      for (int k = 1; k < repeat && m.exit == 0 && m.seconds < SHORT; k++) {
        Measured again = run(job, root.resolve("job-" + tag + "-run" + n + "-" + k + ".log"));
        walls.add(again.seconds);
        m = new Measured(again.exit == 0 ? m.exit : again.exit, m.seconds, Math.max(m.peakRssKb, again.peakRssKb),
            m.cpuSeconds, again.exit == 0 ? m.output : again.output);
      }
      double wall = median(walls);
      String spread = walls.size() == 1 ? "" : String.format(Locale.ROOT, " (median of %d: %.1f–%.1f)", walls.size(),
          walls.stream().mapToDouble(Double::doubleValue).min().orElse(0), walls.stream().mapToDouble(Double::doubleValue).max().orElse(0));
      String answer = m.exit != 0 ? "FAILED (exit " + m.exit + ", see the log)" : "ok";
      if (m.exit == 0 && r[0].startsWith("one seminar ad-hoc, raw")) {
        adhocRaw = o;
      } else if (m.exit == 0 && r[0].startsWith("one seminar ad-hoc, index")) {
        answer = adhocRaw != null && same(adhocRaw, o, "timeline.jsonl") && same(adhocRaw, o, "incidents.jsonl")
            ? "same timeline and incidents as the raw run" : "DIFFERS from the raw run";
      } else if (m.exit == 0 && r[0].startsWith("10-ticket")) {
        answer = Files.readAllLines(o.resolve("tickets.jsonl")).size() + " tickets enriched";
      } else if (m.exit == 0 && r[0].startsWith("re-classify")) {
        answer = same(out, o, "incidents.jsonl") ? "same incidents as the raw nightly" : "DIFFERS from the raw nightly";
      }
      if (m.exit == 0 && Files.exists(o.resolve("summary.json"))) {
        answer += "; engine: " + Json.MAPPER.readTree(o.resolve("summary.json").toFile()).path("run").path("engine").asText("?");
      }
      rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f s%s | %.1f %% | %,d MB | %s |", tag, r[0], wall, spread,
          100 * wall / raw, m.peakRssKb / 1024, answer));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "| day | run | wall (JVM start included) | of the raw nightly (%.1f s) | peak RSS | answer |%n", raw);
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    Files.write(root.resolve("results.md"), rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** DuckDB doing the token-failure join over the same files ({@link DuckDbPeer}), its own JVM. */
  private static void peer(Path day, String tag, Path root, double raw) throws IOException, InterruptedException {
    Measured m = run(List.of(java(), "-Xmx2g", "-cp", classpath(), DuckDbPeer.class.getName(), day.toString()),
        root.resolve("peer-" + tag + ".log"));
    if (m.exit != 0) {
      System.out.println("bench: the DuckDB peer failed (is duckdb_jdbc on the classpath?):\n" + m.output);
      return;
    }
    System.out.print("bench: " + m.output);
    String row = String.format(Locale.ROOT, "| %s | DuckDB token-failure join (peer) | %.1f s | job/DuckDB %.1f | %,d MB |",
        tag, m.seconds, raw / m.seconds, m.peakRssKb / 1024);
    System.out.println(row);
    Files.writeString(root.resolve("results.md"), row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static boolean same(Path a, Path b, String file) throws IOException {
    return dev.sfutriage.e2e.RunsAccess.withoutDrilldown(Files.readAllLines(a.resolve(file)))
        .equals(dev.sfutriage.e2e.RunsAccess.withoutDrilldown(Files.readAllLines(b.resolve(file))));
  }

  /** A seminar with a planted incident (the ground truth's first). */
  private static String firstSeminar(Path day) throws IOException {
    for (var r : org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(Files.newBufferedReader(day.resolve("expected/incidents.csv")))) {
      if (!r.get("seminar_id").isEmpty()) {
        return r.get("seminar_id");
      }
    }
    throw new IllegalStateException("no seminar in " + day.resolve("expected/incidents.csv"));
  }

  private static Path ticketFile(Path day) throws IOException {
    try (var s = Files.list(day.resolve("tickets"))) {
      return s.filter(p -> p.toString().endsWith(".csv")).sorted().findFirst().orElseThrow();
    }
  }

  /** "correct" when the incidents and the accounting are exactly the day's ground truth. */
  static String check(Path day, Path out, JsonNode summary) throws IOException {
    Set<String> expected = IncidentKeys.expected(day.resolve("expected/incidents.csv"));
    List<JsonNode> incidents = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("incidents.jsonl"))) {
      incidents.add(JSON.readTree(l));
    }
    Set<String> got = IncidentKeys.of(incidents);
    List<String> problems = new ArrayList<>();
    if (!got.equals(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(got);
      Set<String> extra = new TreeSet<>(got);
      extra.removeAll(expected);
      problems.add("incidents differ: missing " + missing + ", unexpected " + extra);
    }
    JsonNode accounting = JSON.readTree(day.resolve("expected/accounting.json").toFile());
    for (Iterator<Map.Entry<String, JsonNode>> it = accounting.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (String k : List.of("read", "dead_lettered", "duplicates", "filtered", "used")) {
        long want = e.getValue().path(k).asLong();
        long have = summary.path("sources").path(e.getKey()).path(k).asLong();
        if (want != have) {
          problems.add(e.getKey() + "." + k + " " + have + " (expected " + want + ")");
        }
      }
    }
    if (!summary.path("accounting_balanced").asBoolean()) {
      problems.add("accounting does not balance");
    }
    if (problems.isEmpty()) {
      return "correct: " + got.size() + " incidents, accounting exact";
    }
    System.out.println("bench: WRONG ANSWER: " + String.join("; ", problems));
    return "WRONG: " + String.join("; ", problems);
  }

  /** Runs shorter than this are repeated (--repeat) and reported as their median. */
  static final double SHORT = 30;

  static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  record Measured(int exit, double seconds, long peakRssKb, double cpuSeconds, String output) {}

  /** Runs a command, polling its peak RSS (VmHWM) and CPU time (to within the last 0.1 s) until it ends. */
  static Measured run(List<String> command, Path log) throws IOException, InterruptedException {
    File tmp = log != null ? log.toFile() : File.createTempFile("bench", ".log");
    if (log != null) {
      Files.createDirectories(log.getParent());
    }
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp).start();
    long peak = 0;
    long cpuNanos = 0;
    Path status = Path.of("/proc/" + p.pid() + "/status");
    while (p.isAlive()) {
      try {
        for (String l : Files.readAllLines(status)) {
          if (l.startsWith("VmHWM:")) {
            peak = Math.max(peak, Long.parseLong(l.replaceAll("\\D", "")));
          }
        }
      } catch (IOException | NumberFormatException gone) {
        // the process ended between isAlive and the read
      }
      cpuNanos = Math.max(cpuNanos, p.toHandle().info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L));
      Thread.sleep(100);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(tmp.toPath());
    if (log == null) {
      tmp.delete();
    }
    return new Measured(p.exitValue(), secs, peak, cpuNanos / 1e9, output.length() > 4000 ? output.substring(output.length() - 4000) : output);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath() {
    return System.getProperty("java.class.path");
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
