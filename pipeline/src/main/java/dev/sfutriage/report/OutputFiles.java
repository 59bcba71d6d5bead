package dev.sfutriage.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a run's outputs into a staging folder and moves them into the output folder only when all
 * of them are written: a failed run leaves the previous outputs as they were, never a half-set.
 * Every write goes through the {@link Redactor}.
 */
public final class OutputFiles {
  /** Every file a run may produce: stale ones from an earlier run are removed when a run succeeds. */
  public static final List<String> ALL = List.of("incidents.jsonl", "incidents.csv", "report.md", "report.html",
      "summary.json", "dead_letter.jsonl", "tickets.jsonl", "tickets.csv", "timeline.jsonl", "timeline.md",
      "replay.sql");

  private final Path output;
  private final Path staging;
  private final List<String> written = new ArrayList<>();

  public OutputFiles(Path output, Path staging) {
    this.output = output;
    this.staging = staging;
  }

  public Path stagingDir() {
    return staging;
  }

  public void write(String name, String content) {
    try {
      Files.createDirectories(staging);
      Files.writeString(staging.resolve(name), Redactor.redact(content), StandardCharsets.UTF_8);
      written.add(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Line by line, for outputs that can be large (dead letters, timelines). */
  public void writeLines(String name, Iterable<String> lines) {
    try {
      Files.createDirectories(staging);
      try (BufferedWriter w = Files.newBufferedWriter(staging.resolve(name), StandardCharsets.UTF_8)) {
        for (String l : lines) {
          w.write(Redactor.redact(l));
          w.write('\n');
        }
      }
      written.add(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves every written file into place (each move atomic) and removes stale outputs of earlier runs. */
  public List<Path> commit() {
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(output);
      for (String name : ALL) {
        if (!written.contains(name)) {
          Files.deleteIfExists(output.resolve(name));
        }
      }
      for (String name : written) {
        Path target = output.resolve(name);
        try {
          Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
        }
        out.add(target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          // best effort: a leftover staging folder is harmless
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
