package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a symptom is a rules-file change only: the shipped rules plus one new symptom written here
 * (fatal app crashes during a seminar, a row the guide does not have) — no Java change — and the
 * real main reports it next to the guide's symptoms.
 */
class NewSymptomFromRulesTest {
  @TempDir Path tmp;

  static final String NEW_SYMPTOM = String.join("\n",
      "  - id: app_crashed_in_seminar",
      "    title: The app crashed during a seminar",
      "    scope: participant",
      "    checklist: [1, 2]",
      "    detect:",
      "      events:",
      "        - {source: crashlytics, where: {error_type: FATAL}}",
      "    causes:",
      "      - id: livekit_related",
      "        severity: high",
      "        when:",
      "          trigger: {tag: livekit}",
      "        summary: \"The app of {user_id} crashed in seminar {seminar_id} inside LiveKit code.\"",
      "        resolution: Attach the Crashlytics issue to the LiveKit SDK upgrade ticket.",
      "      - id: app_bug",
      "        severity: medium",
      "        summary: \"The app of {user_id} crashed in seminar {seminar_id} ({trigger.issue_title}).\"",
      "        resolution: Hand the Crashlytics issue to the app team; it is not a LiveKit problem.",
      "");

  @Test
  void aSecondRulesFileAddsASymptomWithoutJavaChanges() throws IOException {
    String shipped;
    try (InputStream in = getClass().getResourceAsStream("/dev/sfutriage/rules/default-rules.yaml")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path rules = tmp.resolve("rules-with-crashes.yaml");
    Files.writeString(rules, shipped.stripTrailing() + "\n\n" + NEW_SYMPTOM);

    Runs.Result r = Runs.nightly(tmp.resolve("out"), "--rules=" + rules);
    List<JsonNode> incidents = r.jsonl("incidents.jsonl");
    Set<String> added = new TreeSet<>();
    for (JsonNode i : incidents) {
      if (Runs.text(i, "symptom").equals("app_crashed_in_seminar")) {
        added.add(Runs.text(i, "cause") + " " + Runs.text(i, "summary"));
      }
    }
    // The fixture day has one fatal crash unrelated to LiveKit (a trap for the guide's rules).
    assertEquals(1, added.size(), added.toString());
    assertTrue(added.iterator().next().startsWith("app_bug The app of usr_"), added.toString());
    // The guide's own incidents are unchanged by the addition.
    long guide = incidents.stream().filter(i -> !Runs.text(i, "symptom").equals("app_crashed_in_seminar")).count();
    assertEquals(Runs.csv(Runs.EXPECTED.resolve("incidents.csv")).size(), guide);
    assertEquals(1, r.summary().path("incidents").path("app_crashed_in_seminar").path("app_bug").asInt());
  }
}
