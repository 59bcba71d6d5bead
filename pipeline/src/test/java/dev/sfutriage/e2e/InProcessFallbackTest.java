package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small compressed file can hold more events than the in-process engine keeps in memory (gzip of
 * repetitive rows expands far beyond the size counted for it): the run notices while reading, drops what
 * it wrote and runs on the runner, with every record accounted for.
 */
class InProcessFallbackTest {
  @TempDir Path tmp;

  @Test
  void aSmallGzipThatExpandsToTooManyEventsRunsOnTheRunnerInstead() throws IOException {
    int rows = 30_000;
    Path day = day("day", rows, 500);
    long size = Files.size(day.resolve("analytics/events_20261123-000000000000.json.gz"));
    // Room for the file as counted (8x its size) but for fewer events than it holds.
    long max = size * 8 + 1;
    assertTrue(max / 128 < rows && 10_000 < rows, "the file holds more events than the engine keeps: " + size);
    Runs.Result r = Runs.run(tmp.resolve("out"), "--inputDir=" + day, "--date=2026-11-23",
        "--inProcessMaxBytes=" + max, "--allowEmpty=true");
    assertEquals(0, r.exit, r.err);
    assertEquals("FlinkRunner", r.summary().path("run").path("engine").asText(), r.summary().path("run").toString());
    assertEquals(rows, r.summary().path("sources").path("analytics").path("read").asLong());
    assertEquals(rows, r.summary().path("sources").path("analytics").path("used").asLong());
    assertTrue(r.summary().path("accounting_balanced").asBoolean());
  }

  /** A day of {@code rows} analytics rows of LiveKit events in one seminar, over {@code users} users, gzipped. */
  private Path day(String name, int rows, int users) throws IOException {
    Path day = Files.createDirectories(tmp.resolve(name + "/analytics"));
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(day.resolve("events_20261123-000000000000.json.gz")));
        Writer w = new java.io.OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows; i++) {
        // A Firebase export row of a LiveKit event; rows differ by time and pseudo id, as in a real export.
        w.write("{\"event_date\":\"20261123\",\"event_timestamp\":\"" + (1795416750401373L + i * 1_000_000L)
            + "\",\"event_name\":\"livekit_participant_event\",\"event_params\":[{\"key\":\"seminar_id\",\"value\":{"
            + "\"string_value\":\"95709d81-9caf-47de-9c28-ac69fa83ee1d\",\"int_value\":null,\"float_value\":null,"
            + "\"double_value\":null}},{\"key\":\"action\",\"value\":{\"string_value\":\"joined\",\"int_value\":null,"
            + "\"float_value\":null,\"double_value\":null}}],\"event_server_timestamp_offset\":\"7147031\",\"user_id\":\"usr_"
            + (i % users) + "\",\"user_pseudo_id\":\"" + Integer.toHexString(i * 7919) + "\",\"platform\":\"ANDROID\"}\n");
      }
    }
    return day.getParent();
  }
}
