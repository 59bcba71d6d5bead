package dev.sfutriage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** The progress line: bytes of the input's total, then each stage's count once it moves; nothing when not a terminal. */
class ProgressTest {
  @Test
  void theLineShowsBytesOfTheTotalAndTheStagesThatMoved() {
    try (Progress p = new Progress(null, false)) {
      p.live(0); // resets the counters
      assertTrue(p.line(1_500_000, 3_600_000).matches("\\[ *\\d+\\.\\ds\\] input 1\\.5 MB of 3\\.6 MB read"), p.line(1_500_000, 3_600_000));
      new Progress.ReadCountFn().process(KV.of("analytics|read|", 1200L));
      new Progress.ReadCountFn().process(KV.of("analytics|used|", 7L)); // not a read partial
      new Progress.CountFn<String>("used").process("e");
      assertTrue(p.line(9_000_000, 3_600_000).endsWith("input 3.6 MB of 3.6 MB read · 1,200 read · 1 used"),
          p.line(9_000_000, 3_600_000));
    }
  }

  @Test
  void offATerminalOnlyTheStageLinesArePrinted() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false)) {
      p.stage("reading");
      p.live(100);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("\\[ *\\d+\\.\\ds\\] reading\\R"), out);
    assertEquals(-1, out.indexOf('\r'), "no carriage-return line off a terminal");
  }
}
