package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.SfuTriage;
import dev.sfutriage.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Runs the real main in-process and reads what it wrote. */
final class Runs {
  static final Path FIXTURES = Paths.get("..", "fixtures");
  static final Path EXPECTED = FIXTURES.resolve("expected");

  private Runs() {}

  /** The outcome of one run of main: exit code, stdout, stderr, output folder. */
  static final class Result {
    final int exit;
    final String out;
    final String err;
    final Path dir;

    Result(int exit, String out, String err, Path dir) {
      this.exit = exit;
      this.out = out;
      this.err = err;
      this.dir = dir;
    }

    JsonNode summary() {
      return json(dir.resolve("summary.json"));
    }

    List<JsonNode> jsonl(String name) {
      List<JsonNode> out = new ArrayList<>();
      for (String l : lines(dir.resolve(name))) {
        out.add(parse(l));
      }
      return out;
    }
  }

  static Result run(Path output, String... args) {
    return run(output.toString(), output, args);
  }

  /** A run with --output=output (any Beam path) whose files are read from {@code dir}. */
  static Result run(String output, Path dir, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--output=" + output);
    all.add("--quiet=true");
    int exit = SfuTriage.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), dir);
  }

  static Result nightly(Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--inputDir=" + FIXTURES, "--date=2026-11-23"));
    args.addAll(List.of(extra));
    Result r = run(output, args.toArray(new String[0]));
    assertEquals(0, r.exit, "exit code; stderr: " + r.err);
    return r;
  }

  /** An output without the run's one wall-clock value (summary.json's run.started_at, echoed in replay.sql's header). */
  static String withoutRunStart(String file, String text) {
    return file.equals("summary.json") ? text.replaceAll("\"started_at\" *: *\"[^\"]+\"", "")
        : file.equals("replay.sql") ? text.replaceAll("run started at [^ ]+ ", "run started at - ") : text;
  }

  static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path p) {
    try {
      return Json.MAPPER.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<CSVRecord> csv(Path p) {
    try (CSVParser parser = CSVParser.parse(p, StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return parser.getRecords();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : "";
  }

  /** symptom,cause,seminar,session,user rows of incidents.jsonl, sorted. */
  static Set<String> incidentKeys(List<JsonNode> incidents) {
    return dev.sfutriage.fixtures.IncidentKeys.of(incidents);
  }
}
