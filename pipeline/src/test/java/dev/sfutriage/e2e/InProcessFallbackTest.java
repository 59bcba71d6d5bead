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
 * A day of local raw files goes in process whatever its size, until it keeps more events than the
 * engine has room for (--inProcessMaxEvents, by default from the heap): the run notices while reading,
 * drops what it wrote and runs on the runner, with every record accounted for.
 */
class InProcessFallbackTest {
  @TempDir Path tmp;

  @Test
  void aDayWithMoreEventsThanTheEngineKeepsRunsOnTheRunnerInstead() throws IOException {
    int rows = 30_000;
    Path day = day("day", rows, 500);
    Runs.Result r = Runs.run(tmp.resolve("out"), "--inputDir=" + day, "--date=2026-11-23",
        "--inProcessMaxEvents=10000", "--allowEmpty=true");
    assertEquals(0, r.exit, r.err);
    assertEquals("FlinkRunner", r.summary().path("run").path("engine").asText(), r.summary().path("run").toString());
    // AUTO chose this JVM (local files, no runner named): FlinkRunner here means the read gave up and fell back.
    assertEquals(rows, r.summary().path("sources").path("analytics").path("read").asLong());
    assertEquals(rows, r.summary().path("sources").path("analytics").path("used").asLong());
    assertTrue(r.summary().path("accounting_balanced").asBoolean());
  }

  @Test
  void theSameDayWithRoomForItsEventsRunsInProcessWithTheRunnersAnswer() throws IOException {
    Path day = day("day", 30_000, 500);
    Runs.Result local = Runs.run(tmp.resolve("local"), "--inputDir=" + day, "--date=2026-11-23",
        "--inProcessMaxEvents=30001", "--allowEmpty=true");
    assertEquals(0, local.exit, local.err);
    assertEquals("in process (--engine)", local.summary().path("run").path("engine").asText(), local.summary().path("run").toString());
    Runs.Result runner = Runs.run(tmp.resolve("runner"), "--inputDir=" + day, "--date=2026-11-23",
        "--engine=RUNNER", "--allowEmpty=true");
    assertEquals(0, runner.exit, runner.err);
    assertEquals(runner.summary().path("sources"), local.summary().path("sources"));
    assertEquals(Files.readString(runner.dir.resolve("incidents.jsonl")), Files.readString(local.dir.resolve("incidents.jsonl")));
  }

  @Test
  void localFilesNamedAsFileUrlsRunInProcessToo() throws IOException {
    Path day = day("url-day", 3_000, 50);
    String url = "file://" + day.toAbsolutePath().resolve("analytics") + "/*.json.gz";
    Runs.Result r = Runs.run(tmp.resolve("url"), "--analytics=" + url, "--date=2026-11-23", "--allowEmpty=true");
    assertEquals(0, r.exit, r.err);
    assertEquals("in process (--engine)", r.summary().path("run").path("engine").asText(), r.summary().path("run").toString());
    assertEquals(3_000, r.summary().path("sources").path("analytics").path("used").asLong());
  }

  /**
   * A day of {@code rows} analytics rows of LiveKit events in one seminar, over {@code users} users,
   * gzipped, in three export shards (so the in-process reader reads them on several threads).
   */
  private Path day(String name, int rows, int users) throws IOException {
    Path day = Files.createDirectories(tmp.resolve(name + "/analytics"));
    for (int shard = 0; shard < 3; shard++) {
      try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(day.resolve("events_20261123-00000000000" + shard + ".json.gz")));
          Writer w = new java.io.OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
        for (int i = shard; i < rows; i += 3) {
          // A Firebase export row of a LiveKit event; rows differ by time and pseudo id, as in a real export.
          w.write("{\"event_date\":\"20261123\",\"event_timestamp\":\"" + (1795416750401373L + i * 1_000_000L)
              + "\",\"event_name\":\"livekit_participant_event\",\"event_params\":[{\"key\":\"seminar_id\",\"value\":{"
              + "\"string_value\":\"95709d81-9caf-47de-9c28-ac69fa83ee1d\",\"int_value\":null,\"float_value\":null,"
              + "\"double_value\":null}},{\"key\":\"action\",\"value\":{\"string_value\":\"joined\",\"int_value\":null,"
              + "\"float_value\":null,\"double_value\":null}}],\"event_server_timestamp_offset\":\"7147031\",\"user_id\":\"usr_"
              + (i % users) + "\",\"user_pseudo_id\":\"" + Integer.toHexString(i * 7919) + "\",\"platform\":\"ANDROID\"}\n");
        }
      }
    }
    return day.getParent();
  }
}
