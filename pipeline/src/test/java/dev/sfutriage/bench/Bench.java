package dev.sfutriage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfutriage.fixtures.IncidentKeys;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = args[++i];
        case "--xmx" -> xmx = args[++i];
        case "--day" -> dayArg = args[++i];
        case "--large" -> generatorArgs.addAll(List.of("--large", args[++i]));
        default -> jobArgs.add(args[i]);
      }
    }
    Path root = Path.of("pipeline/target/bench");
    String tag = dayArg != null ? Path.of(dayArg).getFileName().toString()
        : records + (generatorArgs.isEmpty() ? "" : "-large" + generatorArgs.get(1).replace(':', 'x'));
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

    Measured floor = run(List.of(java(), "-Xmx" + xmx, "-cp", classpath(), ParseFloor.class.getName(), day.toString()), null);
    if (floor.exit != 0) {
      throw new IllegalStateException("parse floor failed:\n" + floor.output);
    }
    System.out.print("bench: " + floor.output);

    Path out = root.resolve("out-" + tag);
    List<String> job = new ArrayList<>(List.of(java(), "-Xmx" + xmx, "-jar", "pipeline/target/sfu-triage.jar",
        "--inputDir=" + day, "--date=2026-11-23", "--output=" + out, "--quiet=true"));
    job.addAll(jobArgs);
    Measured run = run(job, root.resolve("job-" + tag + ".log"));
    System.out.print(run.output);
    if (run.exit != 0) {
      throw new IllegalStateException("the job exited with " + run.exit + ": see " + root.resolve("job-" + tag + ".log"));
    }
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    long read = 0;
    for (JsonNode s : summary.path("sources")) {
      read += s.path("read").asLong();
    }
    String verdict = check(day, out, summary);
    String runner = jobArgs.stream().filter(a -> a.startsWith("--runner=")).findFirst().orElse("--runner=FlinkRunner (default)");
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

  record Measured(int exit, double seconds, long peakRssKb, String output) {}

  /** Runs a command, polling its peak RSS (VmHWM) until it ends. */
  static Measured run(List<String> command, Path log) throws IOException, InterruptedException {
    File tmp = log != null ? log.toFile() : File.createTempFile("bench", ".log");
    if (log != null) {
      Files.createDirectories(log.getParent());
    }
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp).start();
    long peak = 0;
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
      Thread.sleep(100);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(tmp.toPath());
    if (log == null) {
      tmp.delete();
    }
    return new Measured(p.exitValue(), secs, peak, output.length() > 4000 ? output.substring(output.length() - 4000) : output);
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
