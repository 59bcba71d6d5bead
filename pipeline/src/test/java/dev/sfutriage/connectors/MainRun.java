package dev.sfutriage.connectors;

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
import java.util.stream.Stream;

/** Runs the real main in-process (as e2e.Runs does) and reads what it wrote. */
final class MainRun {
  static final Path FIXTURES = Paths.get("..", "fixtures");

  final int exit;
  final String out;
  final String err;
  final Path dir;

  private MainRun(int exit, String out, String err, Path dir) {
    this.exit = exit;
    this.out = out;
    this.err = err;
    this.dir = dir;
  }

  static MainRun run(Path output, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(args);
    all.add("--output=" + output);
    all.add("--quiet=true");
    int exit = SfuTriage.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new MainRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), output);
  }

  /** An output folder written by other means. */
  static MainRun of(Path dir) {
    return new MainRun(0, "", "", dir);
  }

  JsonNode summary() {
    try {
      return Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<JsonNode> jsonl(String name) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String l : Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          out.add(Json.MAPPER.readTree(l));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** symptom,cause,seminar,session,user of the run's incidents.jsonl. */
  Set<String> incidentKeys() {
    return dev.sfutriage.fixtures.IncidentKeys.of(jsonl("incidents.jsonl"));
  }

  /** The same five columns of fixtures/expected/incidents.csv. */
  /** The fixture day's ground-truth accounting (expected/accounting.json), per source. */
  static JsonNode expectedAccounting() {
    try {
      return dev.sfutriage.util.Json.MAPPER.readTree(FIXTURES.resolve("expected").resolve("accounting.json").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Set<String> expectedIncidentKeys() {
    return dev.sfutriage.fixtures.IncidentKeys.expected(FIXTURES.resolve("expected").resolve("incidents.csv"));
  }


  /** A copy of the fixture day without the given source folders. */
  static Path fixturesWithout(Path target, String... skipped) {
    Set<String> skip = Set.of(skipped);
    try (Stream<Path> all = Files.walk(FIXTURES)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = FIXTURES.relativize(p);
        if (rel.getNameCount() > 0 && skip.contains(rel.getName(0).toString())) {
          continue;
        }
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : "";
  }
}
