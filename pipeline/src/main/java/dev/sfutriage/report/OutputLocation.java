package dev.sfutriage.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a run's outputs go (--output): a local folder, or a folder on any other Beam file system
 * ({@code gs://bucket/reports/2026-11-23}). The run stages next to it, on the same file system — the
 * pipeline's workers write their part files there, so on Dataflow it must not be the launcher's disk.
 */
public final class OutputLocation {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][-a-zA-Z0-9+.]*)://(.*)$");

  /** The folder as given, without a trailing slash. */
  private final String spec;
  /** The folder on the local disk, or null when it is on another file system. */
  private final @Nullable Path local;

  private OutputLocation(String spec, @Nullable Path local) {
    this.spec = spec;
    this.local = local;
  }

  /**
   * {@code out/nightly}, {@code file:///reports/day} (local) or {@code <scheme>://...} on a registered
   * Beam file system (FileSystems.setDefaultPipelineOptions must have run).
   *
   * @throws IllegalArgumentException no file system for the scheme, or no folder below the bucket
   */
  public static OutputLocation of(String output) {
    Matcher m = SCHEME.matcher(output.trim());
    if (!m.matches()) {
      return new OutputLocation(output, Paths.get(output));
    }
    if (m.group(1).equalsIgnoreCase("file")) {
      return new OutputLocation(output, Paths.get(java.net.URI.create(output.trim())));
    }
    String spec = output.trim().replaceAll("/+$", "");
    if (!m.group(2).replaceAll("/+$", "").contains("/")) {
      throw new IllegalArgumentException("--output: give a folder inside the bucket, e.g. " + m.group(1)
          + "://bucket/reports/2026-11-23, got '" + output + "'");
    }
    try {
      FileSystems.matchNewResource(spec, true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--output: " + e.getMessage() + " ('" + output + "')");
    }
    return new OutputLocation(spec, null);
  }

  public boolean isLocal() {
    return local != null;
  }

  /** The local folder; only for {@link #isLocal()}. */
  Path localPath() {
    if (local == null) {
      throw new IllegalStateException(spec + " is not local");
    }
    return local;
  }

  /** An output file, as it is shown: {@code out/nightly/summary.json}, {@code gs://b/r/day/summary.json}. */
  public String file(String name) {
    return local != null ? local.resolve(name).toString() : spec + "/" + name;
  }

  ResourceId resource(String name) {
    return FileSystems.matchNewResource(file(name), false);
  }

  /**
   * A fresh staging folder next to the output, on its file system: {@code <parent>/.<name>.staging-<id>}
   * (absolute when local, its id naming this process: see {@link RunOwner}; the staging folders of
   * dead runs beside it are removed first). Delete it with {@link #deleteStaging}.
   */
  public String newStaging() {
    if (local != null) {
      Path abs = local.toAbsolutePath();
      String prefix = "." + abs.getFileName() + ".staging-";
      removeDead(abs.getParent(), prefix, null);
      return abs.getParent().resolve(prefix + RunOwner.newTag()).toString();
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    int slash = spec.lastIndexOf('/');
    return spec.substring(0, slash + 1) + "." + spec.substring(slash + 1) + ".staging-" + id;
  }

  /**
   * Removes the folders {@code prefix*} in {@code dir} (but {@code keep}) that runs which are gone left
   * behind (a kill during the run or its commit); a running run's folder stays. On other file systems a bucket's
   * lifecycle rule does this (no process to ask).
   */
  static void removeDead(Path dir, String prefix, @Nullable Path keep) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : s) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(keep) && RunOwner.isDead(p)) {
          OutputFiles.deleteTree(p);
        }
      }
    } catch (IOException e) {
      // best effort: a leftover is removed by a later run
    }
  }

  /**
   * In a local output folder: removes the sets (and half-made {@code .next-} symlinks) that dead runs
   * left, except {@code current}.
   */
  static void removeDeadSets(Path sets, @Nullable Path current) {
    removeDead(sets, "", current);
    Path dir = sets.getParent();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().contains(".next-"))) {
      for (Path p : s) {
        if (Files.isSymbolicLink(p) && RunOwner.isDead(p)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }

  /** Removes a staging folder and everything in it (best effort: a leftover is harmless). */
  public void deleteStaging(String staging) {
    if (local != null) {
      OutputFiles.deleteTree(Paths.get(staging));
      RunOwner.release(staging);
      return;
    }
    try {
      MatchResult all = FileSystems.match(staging + "/**", EmptyMatchTreatment.ALLOW);
      List<ResourceId> files = new ArrayList<>();
      if (all.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : all.metadata()) {
          files.add(m.resourceId());
        }
      }
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      // best effort, as for a local folder
    }
  }

  @Override
  public String toString() {
    return local != null ? local.toString() : spec;
  }
}
