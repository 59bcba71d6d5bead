package dev.sfutriage.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes a run's outputs into a staging folder and moves them into the output folder only when all
 * of them are written: a failed run leaves the previous outputs as they were, never a half-set.
 * summary.json moves last (an earlier run's is removed first), so its presence means the set is
 * complete. Files are written through Beam's FileSystems, so the output may be on any of them: a
 * local folder gets atomic moves; elsewhere a move is FileSystems.rename (on GCS a copy and a delete
 * per file, so a reader may see part of the new set until summary.json appears). Every write goes
 * through the {@link Redactor}.
 */
public final class OutputFiles {
  /** Every file a run may produce: stale ones from an earlier run are removed when a run succeeds. */
  public static final List<String> ALL = List.of("incidents.jsonl", "incidents.csv", "problems.jsonl", "report.md", "report.html",
      "summary.json", "dead_letter.jsonl", "tickets.jsonl", "tickets.csv", "timeline.jsonl", "timeline.md",
      "timeline.html", "replay.sql");
  /** Moved last: its presence means every other output of the run is in place. */
  public static final String SUMMARY = "summary.json";

  private final OutputLocation output;
  private final String staging;
  private final List<String> written = new ArrayList<>();

  /** @param staging a folder on the output's file system (see {@link OutputLocation#newStaging}) */
  public OutputFiles(OutputLocation output, String staging) {
    this.output = output;
    this.staging = staging;
  }

  public void write(String name, String content) {
    try (Writer w = create(name)) {
      w.write(Redactor.redact(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written.add(name);
  }

  /** Line by line, for outputs that can be large (dead letters, timelines). */
  public void writeLines(String name, Iterable<String> lines) {
    try (Writer w = create(name)) {
      for (String l : lines) {
        w.write(Redactor.redact(l));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written.add(name);
  }

  private Writer create(String name) throws IOException {
    return new BufferedWriter(Channels.newWriter(FileSystems.create(staged(name), MimeTypes.TEXT), StandardCharsets.UTF_8));
  }

  private ResourceId staged(String name) {
    return FileSystems.matchNewResource(staging, true).resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
  }

  /**
   * Removes stale outputs of earlier runs (and their summary.json), then moves every written file
   * into place, summary.json last. Returns the output files, as shown to the user.
   */
  public List<String> commit() {
    List<String> order = new ArrayList<>(written);
    List<String> removed = new ArrayList<>();
    for (String name : ALL) {
      if (!written.contains(name)) {
        removed.add(name);
      }
    }
    if (order.remove(SUMMARY)) {
      order.add(SUMMARY);
      removed.add(0, SUMMARY);
    }
    try {
      if (output.isLocal()) {
        commitLocal(order, removed);
      } else {
        commitElsewhere(order, removed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    for (String name : order) {
      out.add(output.file(name));
    }
    return out;
  }

  private void commitLocal(List<String> order, List<String> removed) throws IOException {
    Path dir = output.localPath();
    Files.createDirectories(dir);
    for (String name : removed) {
      Files.deleteIfExists(dir.resolve(name));
    }
    for (String name : order) {
      Path source = Paths.get(staging).resolve(name);
      Path target = dir.resolve(name);
      try {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private void commitElsewhere(List<String> order, List<String> removed) throws IOException {
    List<ResourceId> stale = new ArrayList<>();
    for (String name : removed) {
      stale.add(output.resource(name));
    }
    FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    for (String name : order) { // one by one: a batch may be moved in any order
      FileSystems.rename(List.of(staged(name)), List.of(output.resource(name)));
    }
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
