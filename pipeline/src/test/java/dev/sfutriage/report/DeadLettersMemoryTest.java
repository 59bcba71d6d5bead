package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.util.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million dead letters (110 MB of part lines; held as trees they need far more than the heap given)
 * go through the real Finalize in a forked JVM with a 128 MB heap: dead_letter.jsonl has every one,
 * in order, and summary.json counts them. The 3 M-line gzip through the whole job at -Xmx2g is the
 * command in docs/BENCHMARKS.md.
 */
class DeadLettersMemoryTest {
  static final int LETTERS = 1_000_000;

  @TempDir Path tmp;

  @Test
  void aMillionDeadLettersAreWrittenWithA128MbHeap() throws Exception {
    Path parts = Files.createDirectories(tmp.resolve("staging/parts"));
    try (BufferedWriter w = Files.newBufferedWriter(parts.resolve("part-00000-of-00001.txt"), StandardCharsets.UTF_8)) {
      for (int i = LETTERS; i > 0; i--) { // reversed: the sort has work to do
        w.write("dead_letters\t{\"source\":\"analytics\",\"location\":\"bomb/bad.json.gz:" + i
            + "\",\"reason\":\"not JSON at column 1: x\",\"raw\":\"x\"}\n");
      }
    }
    Path out = tmp.resolve("out");
    Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), parts.toString(), out.toString(),
        tmp.resolve("staging/final").toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    assertTrue(child.waitFor(300, TimeUnit.SECONDS), "finished");
    assertEquals(0, child.exitValue(), Files.readString(tmp.resolve("child.log")));

    long n = 0;
    try (BufferedReader r = Files.newBufferedReader(out.resolve("dead_letter.jsonl"), StandardCharsets.UTF_8)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        n++;
        if (n == 1 || n == 10 || n == LETTERS) {
          assertTrue(l.contains("\"location\":\"bomb/bad.json.gz:" + n + "\""), n + ": " + l);
        }
      }
    }
    assertEquals(LETTERS, n);
    assertEquals(LETTERS, Json.MAPPER.readTree(out.resolve("summary.json").toFile())
        .path("sources").path("analytics").path("dead_lettered_by_reason").path("not JSON").asLong());
  }

  /** Finalize over the parts, committed into the output folder. */
  public static final class Child {
    public static void main(String[] args) {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
      OutputFiles files = new OutputFiles(OutputLocation.of(args[1]), args[2]);
      new Finalize(args[0], files, Set.of("analytics"), Json.MAPPER.createObjectNode(), null, List.of(), false).run();
      files.commit();
    }
  }
}
