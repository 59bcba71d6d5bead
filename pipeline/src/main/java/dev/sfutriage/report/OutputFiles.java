package dev.sfutriage.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes a run's outputs into a staging folder and commits them into the output folder only when all
 * of them are written: a failed or killed run leaves the previous outputs as they were, never a
 * half-set. Files are written through Beam's FileSystems, so the output may be on any of them.
 *
 * <p>A local folder (a mount point too) gets versioned sets and one atomic switch (see
 * {@link #commitLocal}): {@code <output>/report.html} is a symlink through {@code .current} into the
 * set it belongs to. Elsewhere (GCS) a move is FileSystems.rename, a copy and a delete per file, so
 * summary.json moves last (an earlier run's is removed first): its presence means the set is
 * complete. What is written is already redacted: {@link Finalize} redacts the values, before any
 * encoding.
 */
public final class OutputFiles {
  /** Every file a run may produce: stale ones from an earlier run are removed when a run succeeds. */
  public static final List<String> ALL = List.of("incidents.jsonl", "incidents.csv", "problems.jsonl", "report.md", "report.html",
      "summary.json", "dead_letter.jsonl", "tickets.jsonl", "tickets.csv", "timeline.jsonl", "timeline.md",
      "timeline.html", "replay.sql");
  /** Moved last: its presence means every other output of the run is in place. */
  public static final String SUMMARY = "summary.json";
  /** In a local output folder: the complete sets, and the symlink to the one shown. */
  static final String SETS = ".sets";
  static final String CURRENT = ".current";

  /** A step of the local commit has been done (tests stop or kill the process there). */
  interface Hook {
    void at(String step) throws IOException;
  }

  /** Test seam: called after each step of a local commit. */
  static volatile Hook hook = step -> {};

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
      w.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written.add(name);
  }

  /** Line by line, for outputs that can be large (dead letters, timelines). */
  public void writeLines(String name, Iterable<String> lines) {
    try (Writer w = create(name)) {
      for (String l : lines) {
        w.write(l);
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
        commitLocal(order);
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

  /**
   * A local folder (also a mount point, where the folder itself cannot be renamed): the new set is
   * completed in {@code .sets/<id>} inside it, on its file system, and one rename of the
   * {@code .current} symlink switches from the old set to the new one. Every output the user opens is
   * a stable symlink {@code <name> -> .current/<name>}, so a reader sees the whole old set or the
   * whole new one, whenever the process is killed. The steps, each a {@link #hook} point:
   * <ol>
   *   <li>remove the sets that dead runs left (not the current one, not a running run's);
   *   <li>move the staged files into {@code .sets/<id>} (a copy when staging is on another disk);
   *   <li>only for a folder of an earlier version (or a commit killed in this step): what it shows
   *       becomes a set of its own (hard links: the same bytes) and each plain file is replaced,
   *       atomically, by its symlink;
   *   <li>a symlink for every new name (pointing through .current, it shows nothing until the switch);
   *   <li><b>the switch</b>: {@code .current.next} → {@code .sets/<id>}, renamed over {@code .current};
   *   <li>symlinks whose file the new set does not have are removed, and the old set.
   * </ol>
   */
  private void commitLocal(List<String> order) throws IOException {
    Path dir = output.localPath();
    Files.createDirectories(dir);
    Path sets = dir.resolve(SETS);
    Path current = dir.resolve(CURRENT);
    Path old = Files.isSymbolicLink(current) ? dir.resolve(Files.readSymbolicLink(current)).normalize() : null;
    OutputLocation.removeDeadSets(sets, old);
    hook.at("cleaned");
    Path set = sets.resolve(RunOwner.newTag());
    Path adopted = null;
    try {
      Files.createDirectories(set);
      for (String name : order) {
        moveInto(Paths.get(staging).resolve(name), set.resolve(name));
        hook.at("staged " + name);
      }
      adopted = adoptPlainFiles(dir, sets);
      for (String name : order) {
        link(dir.resolve(name), Paths.get(CURRENT, name));
      }
      hook.at("linked");
      link(current, dir.relativize(set));
    } catch (IOException | RuntimeException e) {
      if (!set.equals(Files.isSymbolicLink(current) ? dir.resolve(Files.readSymbolicLink(current)).normalize() : null)) {
        deleteTree(set); // never shown: the old set is still the current one
      }
      throw e;
    } finally {
      RunOwner.release(set.toString());
      if (adopted != null) {
        RunOwner.release(adopted.toString());
      }
    }
    hook.at("switched");
    for (String name : ALL) {
      Path p = dir.resolve(name);
      if (Files.isSymbolicLink(p) && !Files.exists(p)) {
        Files.delete(p);
      }
    }
    hook.at("pruned");
    for (Path gone : Arrays.asList(old, adopted)) {
      if (gone != null && !gone.equals(set)) {
        deleteTree(gone);
      }
    }
  }

  /**
   * An output folder written by an earlier version holds plain files (and a commit killed while
   * adopting them leaves some): what the folder shows becomes a set of its own (hard links: the same
   * bytes), .current points at it, then each plain file is replaced by its symlink — every rename shows
   * the same bytes, so the old set stays whole until the switch. Returns that set, or null when no
   * output was a plain file.
   */
  private @Nullable Path adoptPlainFiles(Path dir, Path sets) throws IOException {
    List<String> plain = new ArrayList<>();
    for (String name : ALL) {
      if (Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        plain.add(name);
      }
    }
    if (plain.isEmpty()) {
      return null;
    }
    Path adopted = sets.resolve("adopted-" + RunOwner.newTag());
    Files.createDirectories(adopted);
    for (String name : ALL) {
      Path shown = dir.resolve(name);
      if (!Files.exists(shown)) {
        continue;
      }
      try {
        Files.createLink(adopted.resolve(name), shown.toRealPath());
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(shown, adopted.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    link(dir.resolve(CURRENT), dir.relativize(adopted));
    hook.at("adopted");
    for (String name : plain) {
      link(dir.resolve(name), Paths.get(CURRENT, name));
      hook.at("adopted " + name);
    }
    return adopted;
  }

  /** Points {@code at} to {@code target} in one rename (a symlink made beside it, moved over it). */
  private static void link(Path at, Path target) throws IOException {
    if (Files.isSymbolicLink(at) && Files.readSymbolicLink(at).equals(target)) {
      return;
    }
    Path next = at.resolveSibling(at.getFileName() + ".next-" + RunOwner.newTag());
    try {
      Files.createSymbolicLink(next, target);
      Files.move(next, at, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(next);
      RunOwner.release(next.toString());
    }
  }

  private static void moveInto(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(source, target); // staging on another file system: a copy, into the set nobody sees yet
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
