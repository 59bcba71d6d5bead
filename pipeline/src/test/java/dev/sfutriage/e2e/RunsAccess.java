package dev.sfutriage.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lets tests in other packages run main the way the end-to-end tests do. */
public final class RunsAccess {
  private RunsAccess() {}

  /** The outcome of a run: exit code and what it printed. */
  public static final class Outcome {
    public final int exit;
    public final String out;
    public final String err;

    Outcome(Runs.Result r) {
      this.exit = r.exit;
      this.out = r.out;
      this.err = r.err;
    }
  }

  /**
   * JSON lines without their drill-down command, which names the run's own inputs (raw files or
   * --fromIndex): what two runs over the same day must agree on is everything else.
   */
  public static List<String> withoutDrilldown(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll(",\"drilldown\":\"(?:[^\"\\\\]|\\\\.)*\"", "")).toList();
  }

  public static Outcome nightly(Path output, Path inputDir, String... extra) {
    List<String> args = new ArrayList<>(List.of("--inputDir=" + inputDir, "--date=2026-11-23"));
    args.addAll(List.of(extra));
    return new Outcome(Runs.run(output, args.toArray(new String[0])));
  }
}
