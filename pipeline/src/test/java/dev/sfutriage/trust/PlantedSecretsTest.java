package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants every kind of secret in every source of the fixture day — in records that become evidence,
 * timelines, tickets and dead letters — and greps every output file: none may survive.
 */
class PlantedSecretsTest {
  static final Path FIX = Paths.get("..", "fixtures");
  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBUElwbGFudGVkS2V5MSIsInN1YiI6InVzcl9zZWNyZXQifQ.c2VjcmV0LXNpZ25hdHVyZS1wbGFudGVk";
  static final String API_KEY = "APIplantedKey1x";
  static final String API_SECRET = "plantedSecretValue42";
  static final String PASSWORD = "hunter2planted";
  static final String BEARER = "plantedBearerToken77";
  static final String EMAIL = "anna.planted@example.org";
  static final String SEMINAR = "5effcc11-2afa-4577-a278-f8d47c3ea6be";
  static final List<String> SECRETS = List.of(JWT, JWT.substring(0, 40), API_KEY, API_SECRET, PASSWORD, BEARER, EMAIL);

  @TempDir Path tmp;

  @Test
  void noPlantedSecretReachesAnyOutputFile() throws IOException {
    Path day = tmp.resolve("day");
    copyTree(FIX, day);
    String t = "\"1795420934000000\"";
    append(day.resolve("analytics/planted.json"),
        "{\"event_date\":\"20261123\",\"event_timestamp\":" + t + ",\"event_name\":\"livekit_connect_with_token_failed\","
            + "\"event_params\":[{\"key\":\"seminar_id\",\"value\":{\"string_value\":\"" + SEMINAR + "\"}},"
            + "{\"key\":\"error\",\"value\":{\"string_value\":\"invalid token: " + JWT.substring(0, 80) + "\"}}],"
            + "\"user_id\":\"" + EMAIL + "\",\"platform\":\"ANDROID\"}",
        "{\"event_name\":\"livekit_room_state\",\"token\":\"" + JWT + "\",\"password\":\"" + PASSWORD + "\"");
    append(day.resolve("crashlytics/planted.json"),
        "{\"platform\":\"IOS\",\"event_id\":\"planted1\",\"error_type\":\"NON_FATAL\",\"event_timestamp\":\"2026-11-23 08:02:20.000000 UTC\","
            + "\"user\":{\"id\":\"" + EMAIL + "\"},\"custom_keys\":[{\"key\":\"seminar_id\",\"value\":\"" + SEMINAR + "\"},"
            + "{\"key\":\"tag\",\"value\":\"livekit\"},{\"key\":\"flutter_error_reason\",\"value\":\"thrown livekit_connect_with_token_failed\"},"
            + "{\"key\":\"flutter_error_exception\",\"value\":\"LiveKit Exception: [ConnectException] invalid token: " + JWT
            + ", error: token is expired (exp) Authorization: Bearer " + BEARER + "\"}]}");
    append(day.resolve("backend/planted.jsonl"),
        "{\"event\":\"livekit_connect_failed\",\"timestamp\":\"2026-11-23T08:02:25Z\",\"seminar_id\":\"" + SEMINAR + "\",\"user_id\":\""
            + EMAIL + "\",\"status_code\":503,\"error\":\"LiveKit configuration missing (LIVEKIT_API_KEY=" + API_KEY
            + " LIVEKIT_API_SECRET=" + API_SECRET + ")\",\"api_secret\":\"" + API_SECRET + "\",\"password\":\"" + PASSWORD + "\"}",
        "not json but a leaked token=" + JWT + " and password=" + PASSWORD);
    append(day.resolve("webhook_jobs/planted.csv"),
        "id,payload,status,attempt,last_error,next_run_at,created_at,updated_at",
        "99999999-9999-4999-8999-999999999999,\"{\"\"event\"\":\"\"egress_ended\"\",\"\"createdAt\"\":\"\"1795421000\"\",\"\"egressInfo\"\":{\"\"roomName\"\":\"\"r\"\",\"\"status\"\":\"\"EGRESS_FAILED\"\",\"\"error\"\":\"\"upload failed: Authorization: Bearer "
            + BEARER + "\"\"}}\",failed,3,\"invalid token: " + JWT + "\",,2026-11-23 08:03:00+00,2026-11-23 08:03:00+00");
    append(day.resolve("tickets/planted.csv"),
        "ticket_id,seminar_id,user_id,platform,reported_at,subject",
        "SUP-SECRET," + SEMINAR + "," + EMAIL + ",Android,2026-11-23T08:10:00Z,\"Cannot join, my token " + JWT + " mail me at " + EMAIL + "\"");

    Path out = tmp.resolve("out");
    var r = dev.sfutriage.e2e.RunsAccess.nightly(out, day, "--seminarId=" + SEMINAR, "--timeline=true");
    assertEquals(0, r.exit, r.err);
    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.sorted().toList();
    }
    assertTrue(files.size() >= 9, files.toString());
    String everything = "";
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      everything += text;
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), secret + " leaked into " + f.getFileName());
      }
    }
    // The planted records did reach the outputs (redacted), so the check above is not vacuous.
    assertTrue(everything.contains("[REDACTED_JWT]"));
    assertTrue(everything.contains("[REDACTED]"));
    assertTrue(everything.contains("[email:"));
    assertTrue(r.out.contains("incidents") && !r.out.contains(EMAIL));
  }

  private static void append(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (String l : lines) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.toString().contains("/expected/") && !p.getFileName().toString().equals("README.md")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
