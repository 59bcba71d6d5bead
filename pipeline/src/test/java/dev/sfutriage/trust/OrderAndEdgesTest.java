package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.e2e.RunsAccess;
import dev.sfutriage.report.Csv;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time and order edges: out-of-order files and a day split across shards give the same answer. */
class OrderAndEdgesTest {
  @TempDir Path tmp;

  @Test
  void shuffledAndResplitInputsGiveTheSameIncidents() throws IOException {
    Path day = tmp.resolve("day");
    PlantedSecretsTest.copyTree(PlantedSecretsTest.FIX, day);
    Random random = new Random(7);
    // Every line-oriented file shuffled, and the big analytics shard split in three out-of-order files.
    for (String f : List.of("backend/app-2026-11-23.jsonl", "crashlytics/com_example_seminars_ANDROID.json",
        "crashlytics/com_example_seminars_IOS.json", "analytics/events_20261123-000000000000.json")) {
      List<String> lines = new ArrayList<>(Files.readAllLines(day.resolve(f)));
      Collections.shuffle(lines, random);
      Files.write(day.resolve(f), lines);
    }
    Path gz = day.resolve("analytics/events_20261123-000000000001.json.gz");
    List<String> big;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      big = new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
    Files.delete(gz);
    Collections.shuffle(big, random);
    int third = big.size() / 3;
    Files.write(day.resolve("analytics/part-c.json"), big.subList(0, third));
    Files.write(day.resolve("analytics/part-a.json"), big.subList(third, 2 * third));
    Files.write(day.resolve("analytics/part-b.json"), big.subList(2 * third, big.size()));

    RunsAccess.Outcome r = RunsAccess.nightly(tmp.resolve("out"), day);
    assertEquals(0, r.exit, r.err);
    Set<String> expected = new TreeSet<>(Files.readAllLines(PlantedSecretsTest.FIX.resolve("expected/incidents.csv")));
    expected.remove(expected.stream().filter(l -> l.startsWith("symptom,")).findFirst().orElseThrow()); // the header
    Set<String> actual = new TreeSet<>();
    for (String l : Files.readAllLines(tmp.resolve("out/incidents.jsonl"))) {
      JsonNode i = Json.MAPPER.readTree(l);
      actual.add(String.join(",", text(i, "symptom"), text(i, "cause"), text(i, "seminar_id"), text(i, "session_id"), text(i, "user_id")));
    }
    assertEquals(expected, actual);
    JsonNode a = Json.MAPPER.readTree(tmp.resolve("out/summary.json").toFile()).path("sources").path("analytics");
    JsonNode e = Json.MAPPER.readTree(PlantedSecretsTest.FIX.resolve("expected/accounting.json").toFile()).path("analytics");
    assertEquals(e.toString(), Json.MAPPER.createObjectNode().put("read", a.path("read").asLong())
        .put("dead_lettered", a.path("dead_lettered").asLong()).put("duplicates", a.path("duplicates").asLong())
        .put("filtered", a.path("filtered").asLong()).put("used", a.path("used").asLong()).toString());
  }

  @Test
  void csvCellsThatASpreadsheetWouldRunAreNeutralised() {
    assertEquals("'=HYPERLINK(\"http://x\")", Csv.cell("=HYPERLINK(\"http://x\")"));
    assertEquals("'+1", Csv.cell("+1"));
    assertEquals("'-2+3", Csv.cell("-2+3"));
    assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
    assertEquals("'\tx", Csv.cell("\tx"));
    assertEquals("usr_1", Csv.cell("usr_1"));
    assertEquals("a\n'=1\n", Csv.table(List.of("a"), List.of(List.of("=1"))));
  }

  private static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : "";
  }
}
