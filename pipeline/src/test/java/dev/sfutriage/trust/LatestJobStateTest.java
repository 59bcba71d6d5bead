package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.sfutriage.util.Json;
import java.nio.charset.StandardCharsets;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two exports of app.livekit_webhook_jobs in one run hold the same jobs at different times: the
 * job's latest state (updated_at, then attempt) wins, whatever the file names. A job a later export
 * shows done is not in replay.sql; a job an earlier export shows pending and a later one failed is.
 */
class LatestJobStateTest {
  static final String FAILED_THEN_DONE = "fa1a80f7-261f-456e-83fe-158e640d8e5c";
  static final String PENDING_THEN_FAILED = "fa1a80f7-0000-4000-8000-00000000000b";

  @TempDir Path tmp;

  @Test
  void theLatestStateOfAJobWinsAndReplaySqlFollowsIt() throws IOException {
    Path day = tmp.resolve("day");
    PlantedSecretsTest.copyTree(PlantedSecretsTest.FIX, day);
    Path jobs = day.resolve("webhook_jobs");
    List<CSVRecord> rows;
    try (CSVParser parser = CSVParser.parse(jobs.resolve("livekit_webhook_jobs.csv"), StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
      rows = parser.getRecords();
    }
    List<String> header = new ArrayList<>(rows.get(0).getParser().getHeaderNames());
    Map<String, String> failed = rows.stream().filter(r -> r.get("id").equals(FAILED_THEN_DONE)).findFirst().orElseThrow().toMap();
    assertEquals("failed", failed.get("status"), "the fixture's failed job");

    // A later export (its name sorts after the first): the job is done now, and another job failed.
    write(jobs.resolve("zz-later-export.csv"), header,
        with(failed, Map.of("status", "done", "last_error", "", "updated_at", "2026-11-23 15:00:00+00")),
        with(failed, Map.of("id", PENDING_THEN_FAILED, "status", "failed", "attempt", "3", "updated_at", "2026-11-23 15:00:00+00")));
    // An earlier export (its name sorts first): that other job was still pending then.
    write(jobs.resolve("aa-earlier-export.csv"), header,
        with(failed, Map.of("id", PENDING_THEN_FAILED, "status", "pending", "attempt", "1", "last_error", "",
            "updated_at", "2026-11-23 13:00:00+00")));

    Path out = tmp.resolve("out");
    var r = dev.sfutriage.e2e.RunsAccess.nightly(out, day);
    assertEquals(0, r.exit, r.err);
    String sql = Files.readString(out.resolve("replay.sql"));
    assertFalse(sql.contains("where id = '" + FAILED_THEN_DONE + "'"), "a job done since is not requeued:\n" + sql);
    assertTrue(sql.contains("where id = '" + PENDING_THEN_FAILED + "' and status = 'failed';"), sql);

    JsonNode expected = Json.MAPPER.readTree(PlantedSecretsTest.FIX.resolve("expected/accounting.json").toFile()).path("webhook_jobs");
    JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
    JsonNode got = summary.path("sources").path("webhook_jobs");
    assertEquals(expected.path("read").asLong() + 3, got.path("read").asLong(), got.toString());
    assertEquals(expected.path("duplicates").asLong() + 2, got.path("duplicates").asLong(), got.toString());
    assertEquals(expected.path("used").asLong() + 1, got.path("used").asLong(), got.toString());
    assertTrue(summary.path("accounting_balanced").asBoolean());
  }

  private static Map<String, String> with(Map<String, String> row, Map<String, String> changes) {
    Map<String, String> out = new java.util.LinkedHashMap<>(row);
    out.putAll(changes);
    return out;
  }

  @SafeVarargs
  private static void write(Path file, List<String> header, Map<String, String>... rows) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
      p.printRecord(header);
      for (Map<String, String> r : rows) {
        p.printRecord(header.stream().map(r::get).toList());
      }
    }
    Files.writeString(file, w.toString());
  }
}
