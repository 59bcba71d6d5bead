package dev.sfutriage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.report.OutputLocation;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * --output and --previousSummary: where this run's set goes and last night's set. A bad output
 * (empty, the root, a file, a parent that is a file or not writable) is refused here, before any work.
 */
final class OutputConfig {
  private OutputConfig() {}

  static OutputLocation output(TriageOptions o) {
    String spec = o.getOutput() == null ? "" : o.getOutput().trim();
    if (spec.isEmpty()) {
      throw new RunConfig.UsageException("--output is empty: give the folder for the outputs, e.g. --output=out/nightly");
    }
    OutputLocation out;
    try {
      out = OutputLocation.of(spec);
    } catch (IllegalArgumentException e) {
      throw new RunConfig.UsageException(e.getMessage());
    }
    if (out.isLocal()) {
      checkLocal(spec, Paths.get(out.toString()).toAbsolutePath().normalize());
    }
    return out;
  }

  /** The folder is replaced as a whole set and staged beside it: it needs a writable parent folder. */
  private static void checkLocal(String spec, Path dir) {
    Path parent = dir.getParent();
    if (parent == null) {
      throw new RunConfig.UsageException("--output=" + spec + ": the root of a file system cannot hold the outputs "
          + "(they are staged beside the folder); give a folder below it, e.g. --output=/reports/2026-11-23");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RunConfig.UsageException("--output=" + spec + ": is a file, not a folder");
    }
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new RunConfig.UsageException("--output=" + spec + ": '" + existing + "' is a file, not a folder");
    }
    if (!Files.isWritable(existing)) {
      throw new RunConfig.UsageException("--output=" + spec + ": cannot write in '" + existing + "' (permission denied)");
    }
  }

  /** Last night's summary (--previousSummary), on any Beam file system, or null. */
  static @Nullable JsonNode previousSummary(@Nullable String path) {
    if (path == null) {
      return null;
    }
    byte[] bytes;
    try {
      // Last night's outputs may be on the file system tonight's go to (gs://...).
      bytes = path.contains("://") ? readAll(path) : Files.readAllBytes(Paths.get(path));
    } catch (IOException | IllegalArgumentException e) {
      throw new RunConfig.UsageException("--previousSummary: cannot read '" + path + "'");
    }
    try {
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.path("incidents").isObject()) {
        throw new RunConfig.UsageException("--previousSummary: '" + path + "' is not a sfu-triage summary.json (no incidents object)");
      }
      return n;
    } catch (IOException e) {
      throw new RunConfig.UsageException("--previousSummary: '" + path + "' is not valid JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static byte[] readAll(String file) throws IOException {
    try (java.io.InputStream in = java.nio.channels.Channels.newInputStream(
        FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId()))) {
      return in.readAllBytes();
    }
  }
}
