package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dead letters' external sort: the same order and counts as sorting all at once, in bounded memory. */
class DeadLettersTest {
  @Test
  void spilledRunsMergeIntoTheOrderOfOneSortAndTheCountsOfEveryLetter() {
    Random random = new Random(7);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      ObjectNode d = Json.MAPPER.createObjectNode();
      d.put("source", List.of("analytics", "backend_logs", "metrics").get(random.nextInt(3)));
      d.put("location", "f" + random.nextInt(3) + ".json:" + (1 + random.nextInt(2000)));
      d.put("reason", List.of("truncated JSON at column " + random.nextInt(90), "missing event_timestamp", "not JSON: x").get(random.nextInt(3)));
      d.put("raw", "password=hunter" + i + " #" + random.nextInt(4));
      parts.add(d.toString());
    }
    Collections.shuffle(parts, random);

    List<DeadLetters.Letter> all = new ArrayList<>();
    for (String p : parts) {
      var n = Finalize.parse(p);
      all.add(new DeadLetters.Letter(n.path("source").asText(), n.path("location").asText(), n.path("reason").asText(), n.toString()));
    }
    all.sort(DeadLetters.ORDER);
    List<String> expected = all.stream().map(DeadLetters.Letter::line).toList();

    try (DeadLetters small = new DeadLetters(20_000)) {
      parts.forEach(small::add);
      assertTrue(small.spilled() > 10, "spilled " + small.spilled() + " runs");
      List<String> merged = new ArrayList<>();
      small.sortedLines().forEach(merged::add);
      assertEquals(expected, merged);
      assertFalse(String.join("\n", merged).contains("hunter"), "redacted as they are read");
      Map<String, Map<String, Long>> reasons = small.reasons();
      assertEquals(5000L, reasons.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
      assertTrue(reasons.values().stream().allMatch(m -> m.keySet().equals(java.util.Set.of("truncated JSON", "missing event_timestamp", "not JSON"))),
          reasons.toString());
    }
    // file:9 before file:10 (natural order of the line numbers within a file)
    long previous = 0;
    for (DeadLetters.Letter l : all) {
      if (l.source().equals("analytics") && l.location().startsWith("f0.json:")) {
        long line = Long.parseLong(l.location().substring(8));
        assertTrue(line >= previous, l.location());
        previous = line;
      }
    }
    assertTrue(previous > 1000);
  }
}
