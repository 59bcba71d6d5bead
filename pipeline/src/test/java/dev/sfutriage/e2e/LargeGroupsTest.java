package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups larger than a CoGroupByKey result keeps in memory (10 000 values), on Flink at its defaults.
 * A CoGroupByKey reads the rest of such a group a second time, which Flink's grouped input refuses
 * unless --reIterableGroupByKeyResult=true ("GBK result is not re-iterable"; the 50 000-seminar bench
 * day failed so), and that flag makes Flink hold every group whole (the 100 000-participant-session day
 * then ran out of heap). The joins read each group once instead; this day puts more than 10 000 values
 * in each of them: one participant's bucket (Classify), one user's seminar-less events (Correlate's
 * attribution by user) and one ticket's nearby events (EnrichTickets). Flink must give the in-process
 * engine's answer.
 */
class LargeGroupsTest {
  private static final String SEMINAR = "95709d81-9caf-47de-9c28-ac69fa83ee1d";
  private static final long START = 1795416750401373L; // 2026-11-23T06:52:30.401373Z
  @TempDir Path tmp;

  @Test
  void joinsOfGroupsOverTenThousandValuesRunOnFlinkAtItsDefaultsWithTheInProcessAnswer() throws IOException {
    int rows = 24_000;
    Path day = day(rows);
    Runs.Result flink = Runs.run(tmp.resolve("flink"), "--inputDir=" + day, "--date=2026-11-23",
        "--tickets=" + day.resolve("tickets/tickets.csv"), "--runner=FlinkRunner", "--allowEmpty=true");
    assertEquals(0, flink.exit, flink.err);
    assertEquals("FlinkRunner", flink.summary().path("run").path("engine").asText());
    Runs.Result local = Runs.run(tmp.resolve("local"), "--inputDir=" + day, "--date=2026-11-23",
        "--tickets=" + day.resolve("tickets/tickets.csv"), "--engine=IN_PROCESS", "--allowEmpty=true");
    assertEquals(0, local.exit, local.err);

    for (Runs.Result r : List.of(flink, local)) {
      JsonNode analytics = r.summary().path("sources").path("analytics");
      assertEquals(rows, analytics.path("read").asLong());
      assertEquals(rows, analytics.path("used").asLong(), analytics.toString());
      assertTrue(r.summary().path("accounting_balanced").asBoolean());
      List<JsonNode> tickets = r.jsonl("tickets.jsonl");
      assertEquals(1, tickets.size());
      JsonNode timeline = tickets.get(0).path("timeline");
      assertEquals(300, timeline.size(), "the ticket's timeline keeps its 300 closest of 24 000 events");
      // Every other one came without its seminar and was joined to it by user and time.
      int byUser = 0;
      for (JsonNode e : timeline) {
        assertEquals(SEMINAR, e.path("seminar_id").asText(), e.toString());
        byUser += "user_and_time".equals(e.path("attributes").path("attributed_by").asText()) ? 1 : 0;
      }
      assertEquals(150, byUser, timeline.toString());
    }
    for (String file : List.of("tickets.jsonl", "incidents.jsonl", "summary.json")) {
      if (!file.equals("summary.json")) {
        assertEquals(Files.readString(local.dir.resolve(file)), Files.readString(flink.dir.resolve(file)), file);
      }
    }
    assertEquals(local.summary().path("sources").toString(), flink.summary().path("sources").toString());
  }

  /**
   * {@code rows} analytics rows of one user in one seminar, 0.1 s apart (40 minutes), every other row
   * without its seminar_id parameter (as an app build that lost it would send), gzipped; and one ticket
   * of that user in the middle.
   */
  private Path day(int rows) throws IOException {
    Path day = Files.createDirectories(tmp.resolve("day/analytics")).getParent();
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(day.resolve("analytics/events_20261123-000000000000.json.gz")));
        Writer w = new java.io.OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows; i++) {
        String seminar = i % 2 == 0 ? "{\"key\":\"seminar_id\",\"value\":{\"string_value\":\"" + SEMINAR
            + "\",\"int_value\":null,\"float_value\":null,\"double_value\":null}}," : "";
        w.write("{\"event_date\":\"20261123\",\"event_timestamp\":\"" + (START + i * 100_000L)
            + "\",\"event_name\":\"livekit_participant_event\",\"event_params\":[" + seminar
            + "{\"key\":\"action\",\"value\":{\"string_value\":\"joined\",\"int_value\":null,"
            + "\"float_value\":null,\"double_value\":null}}],\"event_server_timestamp_offset\":\"7147031\",\"user_id\":\"usr_7f3a2c11\","
            + "\"user_pseudo_id\":\"" + Integer.toHexString(i * 7919) + "\",\"platform\":\"ANDROID\"}\n");
      }
    }
    Files.createDirectories(day.resolve("tickets"));
    Files.writeString(day.resolve("tickets/tickets.csv"), "ticket_id,seminar_id,user_id,platform,reported_at,subject\n"
        + "SUP-5001,,usr_7f3a2c11,android,2026-11-23T07:12:30Z,\"The seminar keeps dropping me\"\n");
    return day;
  }
}
