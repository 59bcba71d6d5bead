package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.e2e.RunsAccess;
import dev.sfutriage.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job over a mutated day: ≥ 10 000 mutants of real fixture records in every line source,
 * a 10 MB line, BOM and CRLF, empty and zero-byte files, a corrupt gzip, broken Prometheus
 * documents, wrong JSON types in CSV payloads. The run finishes, every source's account balances,
 * and every certainly-unreadable record is in dead_letter.jsonl with a reason.
 */
class PipelineFuzzTest {
  @TempDir Path tmp;

  @Test
  void aMutatedDayRunsToTheEndWithBalancedAccounts() throws IOException {
    Path day = tmp.resolve("day");
    PlantedSecretsTest.copyTree(PlantedSecretsTest.FIX, day);
    Random random = new Random(42);
    Mutator mutator = new Mutator(42);
    Set<String> mustDie = new HashSet<>();
    int mutants = 0;
    mutants += mutate(day, "analytics/events_20261123-000000000001.json.gz", "analytics/fuzz.json", 5_000, random, mutator, mustDie);
    mutants += mutate(day, "backend/app-2026-11-23.jsonl", "backend/fuzz.jsonl", 3_000, random, mutator, mustDie);
    mutants += mutate(day, "backend/cloud-logging-2026-11-23.json.gz", "backend/fuzz-cloud.json", 1_500, random, mutator, mustDie);
    mutants += mutate(day, "crashlytics/com_example_seminars_ANDROID.json", "crashlytics/fuzz.json", 1_000, random, mutator, mustDie);
    assertTrue(mutants >= 10_000);

    // A 10 MB line: one record, one dead letter (not JSON), no OutOfMemoryError.
    Files.writeString(day.resolve("backend/huge.jsonl"), "{\"event\":\"livekit_webhook_retry\",\"error\":\"" + "x".repeat(10 * 1024 * 1024) + "\n");
    mustDie.add("huge.jsonl:1");
    // BOM, CRLF, blank lines.
    Files.writeString(day.resolve("backend/bom.jsonl"), "\uFEFF{\"event\":\"session_started\",\"timestamp\":\"2026-11-23T10:00:00Z\",\"seminar_id\":\"s\"}\r\n\r\n");
    // Empty and zero-byte files, a zero-byte and a corrupt gzip.
    Files.writeString(day.resolve("analytics/empty.json"), "");
    Files.write(day.resolve("analytics/zero.json.gz"), new byte[0]);
    Files.write(day.resolve("crashlytics/corrupt.json.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    mustDie.add("corrupt.json.gz:1");
    // Broken Prometheus documents.
    Files.writeString(day.resolve("metrics/truncated.json"), "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":");
    Files.writeString(day.resolve("metrics/error.json"), "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}");
    Files.writeString(day.resolve("metrics/badsample.json"), "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"__name__\":\"livekit_webhook_retries_total\"},\"values\":[[1795400000,\"1\"],[\"x\",\"2\"],[1795400060],{\"a\":1}]}]}}");
    mustDie.add("truncated.json:1");
    mustDie.add("error.json:1");
    // Wrong JSON types inside the CSV payload column.
    Files.writeString(day.resolve("webhook_jobs/fuzz.csv"), "id,payload,status,attempt,last_error,next_run_at,created_at,updated_at\n"
        + "a1,\"[1,2,3]\",done,1,,,,\n"
        + "a2,\"{\"\"event\"\":42,\"\"createdAt\"\":{\"\"x\"\":1}}\",done,1,,,,\n"
        + "a3,\"{\"\"event\"\":\"\"room_started\"\",\"\"createdAt\"\":\"\"tomorrow\"\"}\",done,1,,,,\n"
        + "a4,\"{\"\"event\"\":\"\"room_started\"\",\"\"createdAt\"\":1795400000,\"\"room\"\":[1]}\",done,1,,,,\n");
    mustDie.add("fuzz.csv:2");
    mustDie.add("fuzz.csv:4");

    Path out = tmp.resolve("out");
    RunsAccess.Outcome r = RunsAccess.nightly(out, day);
    assertEquals(0, r.exit, r.err);
    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    long deadTotal = 0;
    for (var it = summary.path("sources").fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode a = e.getValue();
      assertEquals(a.path("read").asLong(), a.path("dead_lettered").asLong() + a.path("duplicates").asLong()
          + a.path("filtered").asLong() + a.path("used").asLong(), e.getKey());
      deadTotal += a.path("dead_lettered").asLong();
    }
    assertTrue(summary.path("accounting_balanced").asBoolean());
    List<String> dead = Files.readAllLines(out.resolve("dead_letter.jsonl"));
    assertEquals(deadTotal, dead.size());
    Set<String> locations = new HashSet<>();
    for (String l : dead) {
      JsonNode d = Json.MAPPER.readTree(l);
      assertTrue(!d.path("reason").asText().isBlank(), l);
      assertTrue(d.path("raw").asText().length() <= 501, "raw is truncated");
      String loc = d.path("location").asText();
      locations.add(loc.substring(loc.lastIndexOf('/') + 1));
    }
    List<String> missing = new ArrayList<>();
    for (String m : mustDie) {
      if (!locations.contains(m)) {
        missing.add(m);
      }
    }
    assertEquals(List.of(), missing, "unreadable records without a dead letter");
  }

  /** Writes n mutants of the source file's records into target; returns n. */
  private static int mutate(Path day, String source, String target, int n, Random random, Mutator mutator, Set<String> mustDie)
      throws IOException {
    List<String> seeds = ParserFuzzTest.lines(day.resolve(source));
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    String name = Path.of(target).getFileName().toString();
    for (int i = 0; i < n; i++) {
      Mutator.Mutant m = mutator.mutate(seeds.get(random.nextInt(seeds.size())));
      m.writeLine(file);
      if (m.mustDeadLetter) {
        mustDie.add(name + ":" + (i + 1));
      }
    }
    try (OutputStream out = Files.newOutputStream(day.resolve(target))) {
      file.writeTo(out);
    }
    return n;
  }
}
