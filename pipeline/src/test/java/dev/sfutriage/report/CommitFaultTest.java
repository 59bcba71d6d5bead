package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local commit is stopped after every one of its steps — by an exception in this process, and by
 * halting a forked JVM (a kill -9) — with the staging folder on another file system than the output
 * (/dev/shm, tmpfs, against the temp folder's disk: what a container volume as --output looks like).
 * After each stop the output shows the complete old set or the complete new set, never a mix, and the
 * next run removes what the stopped one left and commits.
 */
class CommitFaultTest {
  static final Map<String, String> OLD = Map.of("incidents.jsonl", "{\"old\":1}\n", "report.html", "<p>old</p>\n",
      "timeline.md", "old timeline\n", "summary.json", "{\"old\":true}\n");
  static final Map<String, String> NEW = Map.of("incidents.jsonl", "{\"new\":1}\n{\"new\":2}\n", "report.html",
      "<p>new</p>\n", "tickets.csv", "ticket_id\nSUP-1\n", "summary.json", "{\"new\":true}\n");
  static final Map<String, String> NEXT = Map.of("incidents.jsonl", "{\"next\":1}\n", "summary.json", "{\"next\":true}\n");

  @TempDir Path tmp;
  Path shm;

  @BeforeEach
  void setUp() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    shm = Files.createTempDirectory(Paths.get("/dev/shm"), "sfu-commit-");
    FileStore a = Files.getFileStore(shm);
    FileStore b = Files.getFileStore(tmp);
    assertNotEquals(a.name() + a.type(), b.name() + b.type(), "staging and output on distinct file systems");
  }

  @AfterEach
  void tearDown() {
    OutputFiles.hook = step -> {};
    OutputFiles.deleteTree(shm);
  }

  @Test
  void anExceptionAfterAnyStepLeavesTheOldOrTheNewSetAndTheNextRunCleansUp() throws IOException {
    for (boolean legacy : new boolean[] {false, true}) {
      List<String> steps = steps(legacy);
      assertTrue(steps.contains("switched") && steps.size() >= 7, steps.toString());
      for (int k = 0; k < steps.size(); k++) {
        Path out = tmp.resolve((legacy ? "legacy-" : "sets-") + k);
        prepareOld(out, legacy);
        int stopAt = k;
        int[] seen = {0};
        OutputFiles.hook = step -> {
          if (seen[0]++ == stopAt) {
            throw new IOException("fault after " + step);
          }
        };
        assertThrows(IOException.class, () -> {
          try {
            commit(out, NEW);
          } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
          }
        });
        OutputFiles.hook = step -> {};
        assertOldOrNewThenTheNextRunCleansUp(out, steps, k, "an exception");
      }
    }
  }

  @Test
  void aKilledProcessAfterAnyStepLeavesTheOldOrTheNewSetAndTheNextRunCleansUp() throws Exception {
    List<String> steps = steps(false);
    for (int k = 0; k < steps.size(); k++) {
      Path out = tmp.resolve("killed-" + k);
      prepareOld(out, false);
      Path staging = shm.resolve("staging-" + k);
      Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Child.class.getName(), out.toString(), staging.toString(),
          Integer.toString(k))
          .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + k + ".log").toFile()).start();
      assertTrue(child.waitFor(120, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "halted after step " + k + ": " + Files.readString(tmp.resolve("child-" + k + ".log")));
      assertOldOrNewThenTheNextRunCleansUp(out, steps, k, "a kill");
    }
  }

  @Test
  void theStagingFoldersOfDeadRunsBesideTheOutputAreRemovedAndARunningOnesKept() throws Exception {
    Path out = tmp.resolve("reports/day");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.createDirectories(tmp.resolve("reports/.day.staging-0badf00d-pid" + gone.pid() + "-t1/parts"));
    String mine = OutputLocation.of(out.toString()).newStaging();
    Files.createDirectories(Paths.get(mine));
    String second = OutputLocation.of(out.toString()).newStaging();
    assertTrue(Files.notExists(dead.getParent()), "a dead run's staging is removed");
    assertTrue(Files.isDirectory(Paths.get(mine)), "a running run's staging stays");
    OutputLocation.of(out.toString()).deleteStaging(mine);
    OutputLocation.of(out.toString()).deleteStaging(second);
  }

  /** Stopped after step k: the old set before the switch, the new one after; then a run commits NEXT. */
  private void assertOldOrNewThenTheNextRunCleansUp(Path out, List<String> steps, int k, String how) throws IOException {
    assertWhole(out, k < steps.indexOf("switched") ? OLD : NEW, how + " after step " + k + " " + steps.get(k));
    commit(out, NEXT);
    assertWhole(out, NEXT, "the run after " + how + " at step " + k);
    assertOnlyTheCurrentSet(out);
  }

  /** The steps of one commit of NEW over OLD (the number of points to stop at). */
  private List<String> steps(boolean legacy) throws IOException {
    Path out = tmp.resolve("count-" + legacy);
    prepareOld(out, legacy);
    List<String> steps = new ArrayList<>();
    OutputFiles.hook = steps::add;
    commit(out, NEW);
    OutputFiles.hook = step -> {};
    assertWhole(out, NEW, "an uninterrupted commit");
    return steps;
  }

  /** The old set as this version commits it, or as plain files of an earlier version. */
  private void prepareOld(Path out, boolean legacy) throws IOException {
    if (legacy) {
      Files.createDirectories(out);
      for (Map.Entry<String, String> e : OLD.entrySet()) {
        Files.writeString(out.resolve(e.getKey()), e.getValue());
      }
    } else {
      commit(out, OLD);
    }
    Files.writeString(out.resolve("notes.txt"), "not ours\n");
    assertWhole(out, OLD, "the old set");
  }

  private void commit(Path out, Map<String, String> set) {
    commit(out, shm.resolve("staging-" + System.nanoTime()).toString(), set);
  }

  static void commit(Path out, String staging, Map<String, String> set) {
    OutputLocation location = OutputLocation.of(out.toString());
    try {
      OutputFiles files = new OutputFiles(location, staging);
      for (Map.Entry<String, String> e : new TreeMap<>(set).entrySet()) {
        files.write(e.getKey(), e.getValue());
      }
      files.commit();
    } finally {
      location.deleteStaging(staging);
    }
  }

  /** What a user opening the output folder sees: each output name and its bytes, exactly. */
  static void assertWhole(Path out, Map<String, String> expected, String when) throws IOException {
    Map<String, String> seen = new TreeMap<>();
    for (String name : OutputFiles.ALL) {
      Path p = out.resolve(name);
      if (Files.exists(p)) {
        seen.put(name, Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    assertEquals(new TreeMap<>(expected), seen, when);
    assertEquals("not ours\n", Files.readString(out.resolve("notes.txt")), when);
  }

  private static void assertOnlyTheCurrentSet(Path out) throws IOException {
    Path current = out.resolve(".current").toRealPath();
    try (Stream<Path> s = Files.list(out.resolve(".sets"))) {
      assertEquals(List.of(current.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
    }
    try (Stream<Path> s = Files.list(out)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of(".current", ".sets", "incidents.jsonl", "notes.txt", "summary.json"), names,
          "symlinks of the set shown, nothing half-made");
    }
  }

  /** A forked run of the commit of NEW that halts (no cleanup, no finally: a kill -9) after step k. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
      int stopAt = Integer.parseInt(args[2]);
      int[] seen = {0};
      OutputFiles.hook = step -> {
        if (seen[0]++ == stopAt) {
          Runtime.getRuntime().halt(137);
        }
      };
      commit(Paths.get(args[0]), args[1], NEW);
      System.exit(0);
    }
  }
}
