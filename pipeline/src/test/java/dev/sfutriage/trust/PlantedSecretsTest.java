package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.report.Redactor;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted-secret corpus: every spelling of a credential and an e-mail address the redaction
 * promises to catch, planted in every field of every source that reaches an output — evidence
 * details, timeline attributes, user ids, ticket text, job errors and payloads, and the raw text of
 * dead letters (CSV-quoted JSON, JSON in a JSON string) — then the real main runs and every output
 * file and everything it printed (stdout, stderr) is grepped: no secret part may be found.
 */
class PlantedSecretsTest {
  static final Path FIX = Paths.get("..", "fixtures");
  static final String SEMINAR = "5effcc11-2afa-4577-a278-f8d47c3ea6be";
  /** A room of that seminar (its session on the fixture day), so the planted egress is the scope's event. */
  static final String ROOM = "seminar-" + SEMINAR + "-35f37158-5430-47c5-9034-6353ab6647cc";
  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBUElwbGFudGVkS2V5MSIsInN1YiI6InVzcl9zZWNyZXQifQ.c2VjcmV0LXNpZ25hdHVyZS1wbGFudGVk";
  static final String PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7plantedPemBody";
  static final String EMAIL = "anna.planted@example.org";
  static final String IDN_EMAIL = "jörg.planted@bücher.de";
  static final String PCT_EMAIL = "olle.planted%40example.org";

  /** Each spelling, and the parts of it that must not reach an output. */
  static final Map<String, List<String>> SPELLINGS = new LinkedHashMap<>();

  static {
    spelling("invalid token: " + JWT, JWT.substring(20));
    spelling("invalid token: " + JWT.substring(0, 60), JWT.substring(20, 60));
    spelling("Authorization: Bearer plantedBearer77x", "plantedBearer77x");
    spelling("Authorization: Basic cGxhbnRlZDpiYXNpYzk5", "cGxhbnRlZDpiYXNpYzk5");
    spelling("Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b");
    spelling("curl -H Authorization=Bearer%20plantedPct88y", "plantedPct88y");
    spelling("LIVEKIT_API_KEY=APIplantedKey1x LIVEKIT_API_SECRET=plantedSecretValue42", "APIplantedKey1x", "plantedSecretValue42");
    spelling("{\"password\": \"correct horse battery staple\"}", "correct horse", "battery staple");
    spelling("password=ab,T14plantedComma", "T14plantedComma");
    spelling("secret='with space; plantedSemi'", "plantedSemi");
    spelling("{\"payload\": \"{\\\"token\\\": \\\"nested planted, value\\\"}\"}", "nested planted");
    spelling("X-Api-Key: plantedGatewayKey5", "plantedGatewayKey5");
    spelling("private_key=-----BEGIN PRIVATE KEY-----\n" + PEM_BODY + "\n-----END PRIVATE KEY-----", PEM_BODY);
    spelling("passphrase=plantedPassphrase3", "plantedPassphrase3");
    spelling("postgres://triage:plantedDbPass9@db:5432/app", "plantedDbPass9");
    spelling("mail " + EMAIL, "anna.planted");
    spelling("mail " + IDN_EMAIL, "jörg.planted", "j&ouml;rg.planted");
    spelling("mail " + PCT_EMAIL, "olle.planted");
  }

  private static void spelling(String text, String... secrets) {
    SPELLINGS.put(text, List.of(secrets));
  }

  /** Every spelling in one text, marked with where it was planted (the mark must arrive). */
  static String all(String where) {
    return "PLANTED-" + where + " " + String.join(" | ", SPELLINGS.keySet());
  }

  @TempDir Path tmp;

  @BeforeEach
  void key() {
    Redactor.useKey("the corpus test's key");
  }

  @AfterEach
  void environmentKey() {
    Redactor.useKey(System.getenv(Redactor.KEY_ENV));
  }

  @Test
  void noPlantedSpellingReachesAnyOutputFileOrTheTerminal() throws IOException {
    Path day = tmp.resolve("day");
    copyTree(FIX, day);
    plant(day);

    Path out = tmp.resolve("out");
    var r = dev.sfutriage.e2e.RunsAccess.nightly(out, day, "--seminarId=" + SEMINAR, "--timeline=true",
        "--tickets=" + day.resolve("tickets"));
    assertEquals(0, r.exit, r.err);
    Map<String, String> outputs = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path f : s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        outputs.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    assertTrue(outputs.keySet().containsAll(List.of("incidents.jsonl", "incidents.csv", "report.html", "report.md",
        "dead_letter.jsonl", "summary.json", "timeline.jsonl", "timeline.md", "tickets.jsonl", "tickets.csv", "replay.sql")),
        outputs.keySet().toString());
    outputs.put("(stdout)", r.out);
    outputs.put("(stderr)", r.err);

    // An option value echoed in an error line: the terminal of a run that fails at once.
    var bad = dev.sfutriage.e2e.RunsAccess.nightly(tmp.resolve("bad"), day, "--from=" + JWT, "--to=" + EMAIL);
    assertEquals(2, bad.exit, bad.err);
    assertTrue(bad.err.contains("sfu-triage:"), bad.err);
    outputs.put("(stderr of a bad option)", bad.err);

    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, String> o : outputs.entrySet()) {
      for (Map.Entry<String, List<String>> s : SPELLINGS.entrySet()) {
        for (String secret : s.getValue()) {
          if (o.getValue().contains(secret)) {
            leaks.add(o.getKey() + ": " + secret + "   (planted as: " + s.getKey().replace("\n", "\\n") + ")");
          }
        }
      }
      for (String secret : List.of(EMAIL, "planted@", "planted%40")) {
        if (o.getValue().contains(secret)) {
          leaks.add(o.getKey() + ": " + secret);
        }
      }
    }
    assertEquals(List.of(), leaks, "leaked");

    // Not vacuous: what was planted arrived, redacted — in the evidence, the timeline, the tickets,
    // the replay candidates and the dead letters (raw text, CSV-quoted JSON included).
    String everything = String.join("\n", outputs.values());
    for (String where : List.of("analytics", "crashlytics", "backend", "ticket", "job-error", "job-payload")) {
      assertTrue(everything.contains("PLANTED-" + where), where + " did not reach any output");
    }
    String dead = outputs.get("dead_letter.jsonl");
    for (String where : List.of("analytics-dead", "backend-dead", "crashlytics-dead", "job-dead", "metrics-dead")) {
      assertTrue(dead.contains("PLANTED-" + where), where + " is not in dead_letter.jsonl");
    }
    assertTrue(outputs.get("replay.sql").contains("PLANTED-job-error"), "the job's last error is in replay.sql");
    for (String mark : List.of("[REDACTED_JWT]", "[REDACTED_PRIVATE_KEY]", "Basic [REDACTED]", "Bearer%20[REDACTED]",
        "[REDACTED_API_KEY]", "[email:")) {
      assertTrue(everything.contains(mark), mark);
    }
    assertTrue(outputs.get("incidents.csv").contains("[REDACTED]"), "redacted before CSV quoting");
  }

  /** Records of every source, each field that reaches an output holding every spelling. */
  private static void plant(Path day) throws IOException {
    String t = "1795420934000000"; // 2026-11-23T08:02:14Z
    for (String[] user : new String[][] {{EMAIL, "analytics"}, {IDN_EMAIL, "analytics-idn"}, {PCT_EMAIL, "analytics-pct"}}) {
      ObjectNode ga = Json.MAPPER.createObjectNode();
      ga.put("event_date", "20261123").put("event_timestamp", t).put("event_name", "livekit_connect_with_token_failed");
      ArrayNode params = ga.putArray("event_params");
      param(params, "seminar_id", SEMINAR);
      param(params, "error", all(user[1]));
      param(params, "detail", all(user[1] + "-detail"));
      param(params, "auth_header", "Bearer plantedBearer77x");
      ga.put("user_id", user[0]).put("platform", "ANDROID");
      append(day.resolve("analytics/planted.json"), Json.MAPPER.writeValueAsString(ga));
    }
    append(day.resolve("analytics/planted.json"), "{\"event_name\":\"livekit_room_state\",\"x\":\"" + all("analytics-dead").replace("\n", " "));

    ObjectNode crash = Json.MAPPER.createObjectNode();
    crash.put("platform", "IOS").put("event_id", "planted1").put("error_type", "NON_FATAL")
        .put("event_timestamp", "2026-11-23 08:02:20.000000 UTC");
    crash.putObject("user").put("id", EMAIL);
    ArrayNode keys = crash.putArray("custom_keys");
    keys.addObject().put("key", "seminar_id").put("value", SEMINAR);
    keys.addObject().put("key", "tag").put("value", "livekit");
    keys.addObject().put("key", "flutter_error_reason").put("value", "thrown livekit_connect_with_token_failed");
    keys.addObject().put("key", "flutter_error_exception").put("value", "LiveKit Exception: " + all("crashlytics"));
    append(day.resolve("crashlytics/planted.json"), Json.MAPPER.writeValueAsString(crash),
        "{\"platform\":\"IOS\",\"event_id\":\"" + all("crashlytics-dead").replace("\n", " ").replace("\"", "'"));

    ObjectNode log = Json.MAPPER.createObjectNode();
    log.put("event", "livekit_connect_failed").put("timestamp", "2026-11-23T08:02:25Z").put("seminar_id", SEMINAR)
        .put("user_id", EMAIL).put("status_code", 503).put("error", all("backend"));
    log.put("password", "plantedFieldPassword1").put("api_secret", "plantedSecretValue42").put("authorization", "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b")
        .put("x-api-key", "plantedGatewayKey5").put("private_key", "-----BEGIN PRIVATE KEY-----\n" + PEM_BODY + "\n-----END PRIVATE KEY-----")
        .put("passphrase", "plantedPassphrase3");
    append(day.resolve("backend/planted.jsonl"), Json.MAPPER.writeValueAsString(log),
        "not json: " + all("backend-dead").replace("\n", "\\n"));

    String payload = "{\"event\":\"egress_ended\",\"createdAt\":\"1795421000\",\"egressInfo\":{\"roomName\":\"" + ROOM + "\","
        + "\"status\":\"EGRESS_FAILED\",\"error\":" + Json.MAPPER.writeValueAsString(all("job-payload")) + "}}";
    append(day.resolve("webhook_jobs/planted.csv"), csv(
        List.of("id", "payload", "status", "attempt", "last_error", "next_run_at", "created_at", "updated_at"),
        List.of("99999999-9999-4999-8999-999999999999", payload, "failed", "3", all("job-error"), "",
            "2026-11-23 08:03:00+00", "2026-11-23 08:03:00+00"),
        List.of("99999999-9999-4999-8999-999999999998", "{\"event\": " + all("job-dead"), "failed", "3", "", "",
            "2026-11-23 08:03:00+00", "2026-11-23 08:03:00+00")));
    append(day.resolve("tickets/planted.csv"), csv(List.of("ticket_id", "seminar_id", "user_id", "platform", "reported_at", "subject"),
        List.of("SUP-SECRET", SEMINAR, EMAIL, "Android", "2026-11-23T08:10:00Z", "Cannot join: " + all("ticket"))));
    append(day.resolve("metrics/planted.json"), "{\"status\":\"success\",\"data\":" + all("metrics-dead").replace("\n", " "));
  }

  private static void param(ArrayNode params, String key, String value) {
    ObjectNode p = params.addObject();
    p.put("key", key);
    p.putObject("value").put("string_value", value);
  }

  private static String csv(List<String> header, List<String>... rows) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
      p.printRecord(header);
      for (List<String> r : rows) {
        p.printRecord(r);
      }
    }
    return w.toString().stripTrailing();
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
