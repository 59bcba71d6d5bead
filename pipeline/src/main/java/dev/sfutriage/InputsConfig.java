package dev.sfutriage;

import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The file inputs: --analytics, --crashlytics, --backendLogs, --webhookJobs, --metrics, --tickets
 * (paths or globs, comma lists) and --inputDir's sub-folders, each matched once through Beam's
 * file systems (a local folder, gs://..., any registered scheme).
 */
final class InputsConfig {
  /** Sub-folders of --inputDir per source. */
  static final Map<String, String> INPUT_DIRS = Map.of(Sources.ANALYTICS, "analytics", Sources.CRASHLYTICS, "crashlytics",
      Sources.BACKEND_LOGS, "backend", Sources.WEBHOOK_JOBS, "webhook_jobs", Sources.METRICS, "metrics",
      Sources.TICKETS, "tickets");

  private InputsConfig() {}

  /** Source → matched files; an option given explicitly replaces its --inputDir sub-folder. */
  static Map<String, List<String>> files(TriageOptions o) {
    Map<String, String> specs = new LinkedHashMap<>();
    specs.put(Sources.ANALYTICS, o.getAnalytics());
    specs.put(Sources.CRASHLYTICS, o.getCrashlytics());
    specs.put(Sources.BACKEND_LOGS, o.getBackendLogs());
    specs.put(Sources.WEBHOOK_JOBS, o.getWebhookJobs());
    specs.put(Sources.METRICS, o.getMetrics());
    specs.put(Sources.TICKETS, o.getTickets());
    Map<String, List<String>> files = new LinkedHashMap<>();
    String dir = RunConfig.blank(o.getInputDir());
    if (dir != null) {
      boolean remote = dir.contains("://");
      if (!remote && !Files.isDirectory(Paths.get(dir))) {
        throw new RunConfig.UsageException("--inputDir: no such folder '" + dir + "'");
      }
      String base = dir.replaceAll("/+$", "");
      for (String src : Sources.ALL) {
        if (specs.get(src) == null) {
          List<String> found = match("--inputDir", (remote ? base + "/" + INPUT_DIRS.get(src)
              : Paths.get(dir).resolve(INPUT_DIRS.get(src)).toString()) + "/*", true);
          if (!found.isEmpty()) {
            files.put(src, found);
          }
        }
      }
      if (remote && files.isEmpty() && specs.values().stream().allMatch(v -> v == null)) {
        throw new RunConfig.UsageException("--inputDir: no file in any of " + new java.util.TreeSet<>(INPUT_DIRS.values())
            + " under '" + dir + "'");
      }
    }
    for (Map.Entry<String, String> e : specs.entrySet()) {
      if (e.getValue() != null) {
        files.put(e.getKey(), matchAll("--" + camel(e.getKey()), e.getValue()));
      }
    }
    return files;
  }

  private static List<String> matchAll(String option, String spec) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : spec.split(",")) {
      if (!part.isBlank()) {
        out.addAll(match(option, part.trim(), false));
      }
    }
    return new ArrayList<>(out);
  }

  private static List<String> match(String option, String pattern, boolean allowEmpty) {
    if (!pattern.contains("://") && !pattern.contains("*") && Files.isDirectory(Paths.get(pattern))) {
      pattern = Paths.get(pattern).resolve("*").toString(); // a folder means every file in it
    }
    List<String> files = new ArrayList<>();
    try {
      MatchResult result = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (result.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : result.metadata()) {
          if (!m.resourceId().isDirectory()) {
            files.add(m.resourceId().toString());
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new RunConfig.UsageException(option + ": cannot list '" + pattern + "': " + e.getMessage());
    }
    boolean oneNamedFile = !pattern.contains("://") && !pattern.contains("*") && !pattern.contains("?");
    for (String f : files) {
      if (oneNamedFile && !Files.isReadable(Paths.get(f))) {
        throw new RunConfig.UsageException(option + ": cannot read '" + f + "' (permission denied)");
      }
    }
    // What a folder or glob holds that cannot be read (a dangling link, a FIFO, no permission) is
    // counted by the reader as a dead letter of its source, not skipped without a trace.
    files.addAll(dev.sfutriage.read.InputFiles.skippedByMatch(pattern));
    if (files.isEmpty() && !allowEmpty) {
      throw new RunConfig.UsageException(option + ": no file matches '" + pattern + "'");
    }
    files.sort(null);
    return files;
  }

  /** The size of the local input files (remote ones count 0: their size is not worth a second listing). */
  static long totalBytes(Map<String, List<String>> files) {
    long total = 0;
    for (List<String> list : files.values()) {
      for (String f : list) {
        try {
          total += f.contains("://") ? 0 : Files.size(Paths.get(f));
        } catch (IOException e) {
          // gone since it was listed: the run will say so
        }
      }
    }
    return total;
  }

  static String camel(String source) {
    switch (source) {
      case Sources.BACKEND_LOGS:
        return "backendLogs";
      case Sources.WEBHOOK_JOBS:
        return "webhookJobs";
      default:
        return source;
    }
  }
}
