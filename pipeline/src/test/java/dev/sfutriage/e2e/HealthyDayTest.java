package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.fixtures.FixtureDays;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main on a generated healthy day (FixtureGenerator --healthy): 48 seminars, a few
 * hundred participants, normal traffic with every harmless oddity of a real day (slow connects,
 * a second try after a good token, reconnect blips, recordings up to 25 min late, a retried
 * webhook job, skewed clocks, a stray "Invalid signature") and no failure. Nothing may become an
 * incident, and every record must be accounted for.
 */
class HealthyDayTest {
  @TempDir static Path tmp;
  static Path day;
  static Runs.Result run;

  @BeforeAll
  static void generateAndRun() {
    long t0 = System.nanoTime();
    day = FixtureDays.write(tmp.resolve("healthy"), "--healthy", "--participants", "4-12");
    long t1 = System.nanoTime();
    run = Runs.run(tmp.resolve("out"), "--inputDir=" + day, "--date=2026-11-23");
    System.out.printf("healthy day: generated in %.1f s, main in %.1f s%n", (t1 - t0) / 1e9,
        (System.nanoTime() - t1) / 1e9);
    assertEquals(0, run.exit, "exit code; stderr: " + run.err);
  }

  @Test
  void aHealthyDayHasNoIncident() {
    List<JsonNode> incidents = run.jsonl("incidents.jsonl");
    StringBuilder found = new StringBuilder();
    for (JsonNode i : incidents) {
      found.append("\n").append(String.join(",", Runs.text(i, "symptom"), Runs.text(i, "cause"),
              Runs.text(i, "seminar_id"), Runs.text(i, "session_id"), Runs.text(i, "user_id")))
          .append("\n  summary: ").append(Runs.text(i, "summary"));
      for (JsonNode e : i.path("evidence")) {
        found.append("\n  ").append(Runs.text(e, "timestamp")).append(' ')
            .append(Runs.text(e, "source")).append(' ').append(Runs.text(e, "event")).append(' ')
            .append(e.path("detail"));
      }
    }
    assertTrue(incidents.isEmpty(), incidents.size() + " incidents on a healthy day:" + found);
  }

  /**
   * The user who failed once and got in on the next try (a client connect failure, then a good token
   * and connected) files a ticket: there is no incident, the status says the user was there, and
   * the ticket's timeline shows the failure and the recovery.
   */
  @Test
  void aTicketFromTheUserWhoGotInOnTheSecondTryIsTelemetryNoIncident() throws IOException {
    JsonNode failure = null;
    try (java.util.stream.Stream<Path> files = Files.list(day.resolve("analytics"))) {
      for (Path f : files.sorted().toList()) {
        InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null && failure == null; line = r.readLine()) {
            if (line.contains("\"livekit_connect_failed\"")) {
              failure = Runs.parse(line);
            }
          }
        }
      }
    }
    assertTrue(failure != null, "the healthy day has one recovered client failure");
    String seminar = null;
    for (JsonNode p : failure.path("event_params")) {
      if (p.path("key").asText().equals("seminar_id")) {
        seminar = p.path("value").path("string_value").asText();
      }
    }
    String user = failure.path("user_id").asText();
    long micros = failure.path("event_timestamp").asLong();
    String reported = java.time.Instant.ofEpochSecond(micros / 1_000_000 + 600).toString();
    Path tickets = tmp.resolve("second-try-ticket.csv");
    Files.writeString(tickets, "ticket_id,seminar_id,user_id,platform,reported_at,subject\n"
        + "SUP-1," + seminar + "," + user + ",," + reported + ",\"Join failed once, then it worked\"\n");
    Runs.Result r = Runs.run(tmp.resolve("ticket-out"), "--inputDir=" + day, "--date=2026-11-23", "--tickets=" + tickets);
    assertEquals(0, r.exit, r.err);
    JsonNode t = r.jsonl("tickets.jsonl").get(0);
    assertEquals("telemetry_no_incident", Runs.text(t, "status"), t.toString());
    boolean failed = false;
    boolean connectedAfter = false;
    for (JsonNode e : t.path("timeline")) {
      if (!user.equals(Runs.text(e, "user_id"))) {
        continue;
      }
      if (Runs.text(e, "event").equals("livekit_connect_failed")) {
        failed = true;
      } else if (failed && Runs.text(e, "event").equals("livekit_room_state")
          && e.path("attributes").path("state").asText().equals("connected")) {
        connectedAfter = true;
      }
    }
    assertTrue(failed && connectedAfter, "the timeline shows the failure and then connected: " + t.path("timeline"));
  }

  @Test
  void nothingIsPending() {
    assertEquals(0, run.summary().path("pending").size(), run.summary().path("pending").toString());
  }

  @Test
  void everyRecordIsReadOnceAndEndsInExactlyOneOutcome() {
    JsonNode sources = run.summary().path("sources");
    JsonNode expected = Runs.json(day.resolve("expected").resolve("accounting.json"));
    Iterator<Map.Entry<String, JsonNode>> it = sources.fields();
    int checked = 0;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      assertEquals(a.path("read").asLong(), a.path("dead_lettered").asLong()
          + a.path("duplicates").asLong() + a.path("filtered").asLong() + a.path("used").asLong(),
          e.getKey() + ": read = dead_lettered + duplicates + filtered + used");
      for (String outcome : List.of("read", "dead_lettered", "duplicates", "filtered", "used")) {
        assertEquals(expected.path(e.getKey()).path(outcome).asLong(), a.path(outcome).asLong(),
            e.getKey() + "." + outcome + " vs the generator's count");
      }
      checked++;
    }
    assertTrue(checked >= 5, "sources in summary.json: " + sources);
    assertTrue(sources.path("analytics").path("used").asLong() > 3000, "a busy day: " + sources);
  }
}
