package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedactorTest {
  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTU0NTY5MzEsImlzcyI6IkFQSWZOaXU4bVRiczd4dyIsInN1YiI6InVzcl8xIn0.3q2-7sBqZ3HkR0mFz0Jb6w8qRk9vQ1c2U0a2d3Zx4yA";

  @BeforeEach
  void key() {
    Redactor.useKey("a test key");
  }

  @AfterEach
  void environmentKey() {
    Redactor.useKey(System.getenv(Redactor.KEY_ENV));
  }

  @Test
  void removesJwtsAlsoInsideLiveKitErrorsAndTruncated() {
    assertEquals("LiveKit Exception: [ConnectException] invalid token: [REDACTED_JWT], error: token is expired (exp)",
        Redactor.redact("LiveKit Exception: [ConnectException] invalid token: " + JWT + ", error: token is expired (exp)"));
    // Analytics truncates string params at 100 characters: half a JWT is still a credential's prefix.
    assertEquals("invalid token: [REDACTED_JWT]", Redactor.redact("invalid token: " + JWT.substring(0, 60)));
  }

  @Test
  void removesBearerTokensApiKeysAndSecretFields() {
    assertEquals("Authorization: Bearer [REDACTED]", Redactor.redact("Authorization: Bearer abcdef0123456789xyz"));
    assertEquals("invalid API key: [REDACTED_API_KEY]", Redactor.redact("invalid API key: APIfNiu8mTbs7xw"));
    assertEquals("{\"api_secret\":\"[REDACTED]\",\"password\": \"[REDACTED]\",\"token\":\"[REDACTED]\"}",
        Redactor.redact("{\"api_secret\":\"s3cr3t-value\",\"password\": \"hunter22\",\"token\":\"abc.def\"}"));
    assertEquals("LIVEKIT_API_SECRET=[REDACTED] wss://lk?access_token=[REDACTED]&x=1",
        Redactor.redact("LIVEKIT_API_SECRET=Zq9rTzFL0Xv wss://lk?access_token=opaque123&x=1"));
    // JSON escaped inside a JSON string (a dead letter's raw text) is redacted too.
    assertEquals("{\"raw\":\"{\\\"secret\\\":\\\"[REDACTED]\\\"}\"}", Redactor.redact("{\"raw\":\"{\\\"secret\\\":\\\"abcd1234\\\"}\"}"));
  }

  @Test
  void everyAuthSchemeAndHeaderSpelling() {
    assertEquals("Authorization: Basic [REDACTED]", Redactor.redact("Authorization: Basic dXNlcjpodW50ZXIy"));
    assertEquals("authorization=Token [REDACTED]", Redactor.redact("authorization=Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"));
    assertEquals("sent Token [REDACTED] twice", Redactor.redact("sent Token 9944b09199c62bcf94 twice"));
    assertEquals("GET /x?h=Bearer%20[REDACTED]&y=1", Redactor.redact("GET /x?h=Bearer%20abcdef0123456789&y=1"));
    assertEquals("Bearer+[REDACTED]", Redactor.redact("Bearer+abcdef0123456789"));
    assertEquals("X-Api-Key: [REDACTED]", Redactor.redact("X-Api-Key: k3y-4-the-gateway"));
    assertEquals("{\"x-api-key\": \"[REDACTED]\"}", Redactor.redact("{\"x-api-key\": \"k3y 4 the gateway\"}"));
    assertEquals("passphrase=[REDACTED] next", Redactor.redact("passphrase=open,sesame;now next"));
    assertEquals("db://triage:[REDACTED]@db:5432/app", Redactor.redact("db://triage:pa55word@db:5432/app"));
  }

  @Test
  void valuesAreRedactedUpToTheirRealEnd() {
    assertEquals("{\"password\": \"[REDACTED]\", \"user\": \"u1\"}",
        Redactor.redact("{\"password\": \"correct horse, battery; staple\", \"user\": \"u1\"}"));
    assertEquals("password=[REDACTED] status=500", Redactor.redact("password=ab,T14;x status=500"));
    assertEquals("secret='[REDACTED]' ok", Redactor.redact("secret='with \"inner\" quotes' ok"));
    // Two levels down: JSON in a JSON string in a JSON string; the inner quotes do not end the value.
    String nested = "{\"raw\":\"{\\\"payload\\\":\\\"{\\\\\\\"token\\\\\\\":\\\\\\\"deep secret, value\\\\\\\"}\\\"}\"}";
    String r = Redactor.redact(nested);
    assertFalse(r.contains("deep") || r.contains("value\\"), r);
    assertTrue(r.contains("token\\\\\\\":\\\\\\\"[REDACTED]\\\\\\\"}"), r);
  }

  @Test
  void privateKeyBlocksWholeAlsoEscapedOrCut() {
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    assertEquals("private_key=[REDACTED_PRIVATE_KEY] done", Redactor.redact("private_key=" + pem + " done"));
    assertEquals("{\"private_key\":\"[REDACTED_PRIVATE_KEY]\"}", Redactor.redact("{\"private_key\":\"" + pem.replace("\n", "\\n") + "\"}"));
    assertEquals("k: [REDACTED_PRIVATE_KEY]", Redactor.redact("k: -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADAN"));
  }

  @Test
  void emailsBecomeKeyedPseudonymsAlsoInternationalisedAndPercentEncoded() {
    String a = Redactor.redact("user anna.berg@example.se failed");
    assertTrue(a.matches("user \\[email:[0-9a-f]{12}\\] failed"), a);
    assertEquals(a, Redactor.redact("user anna.berg@example.se failed"), "stable with the same key");
    assertEquals(a, Redactor.redact("user Anna.Berg@EXAMPLE.se failed"), "case does not make another person");
    assertEquals(a, Redactor.redact("user anna.berg%40example.se failed"), "percent-encoded: the same person");
    assertNotEquals(a, Redactor.redact("user olle@example.se failed"));
    for (String idn : List.of("jörg.müller@bücher.de", "аня@пример.рф", "li@例え.テスト", "x@xn--bcher-kva.de", "a+tag%40example.org")) {
      String r = Redactor.redact("mail " + idn + " now");
      assertTrue(r.matches("mail \\[email:[0-9a-f]{12}\\] now"), idn + " → " + r);
    }
    Redactor.useKey("another key");
    assertNotEquals(a, Redactor.redact("user anna.berg@example.se failed"), "keyed: another key, another pseudonym");
    Redactor.useKey(null);
    assertEquals("user [email] failed", Redactor.redact("user anna.berg@example.se failed"), "no key: no pseudonym at all");
  }

  @Test
  void ordinaryTextIsLeftAloneAndASecondPassChangesNothing() {
    for (String ordinary : List.of(
        "event=livekit_token_issued ttl_seconds=600 status_code=503 path=/sfu/token error=LiveKit configuration missing",
        "Token expired, please retry", "basic auth failed for room", "connect_with_token_failed: 1", "see v1.2@3",
        "invalid token: token is expired (exp)")) {
      assertEquals(ordinary, Redactor.redact(ordinary));
    }
    for (String secret : List.of("Authorization: Basic dXNlcjpodW50ZXIy", "{\"password\": \"a b\"}", "x anna@example.se",
        "invalid token: " + JWT, "private_key=-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----")) {
      String once = Redactor.redact(secret);
      assertEquals(once, Redactor.redact(once), "idempotent: " + secret);
    }
  }

  @Test
  void jsonTreesAreRedactedValueByValueSecretFieldsWhole() throws Exception {
    JsonNode tree = Json.MAPPER.readTree("{\"detail\":\"a \\\"password\\\": \\\"x y\\\"\",\"attributes\":{\"session_token\":\"opaque value\","
        + "\"pin_password\":1234,\"note\":\"{\\\"secret\\\": \\\"in, nested\\\"}\"},\"user_id\":\"olle@example.se\",\"n\":3}");
    JsonNode r = Redactor.redactValues(tree);
    assertEquals("a \"password\": \"[REDACTED]\"", r.path("detail").asText());
    assertEquals("[REDACTED]", r.path("attributes").path("session_token").asText());
    assertEquals("[REDACTED]", r.path("attributes").path("pin_password").asText());
    assertEquals("{\"secret\": \"[REDACTED]\"}", r.path("attributes").path("note").asText());
    assertTrue(r.path("user_id").asText().startsWith("[email:"));
    assertEquals(3, r.path("n").asInt());
    assertTrue(tree.path("detail").asText().contains("x y"), "the input tree is not changed");
  }

  @Test
  void countsUnderCauseNamesThatSoundSecretStayCounts() throws Exception {
    // summary.json counts incidents per cause id: token_expired, a rules file's api_key_rotated
    JsonNode tree = Json.MAPPER.readTree("{\"by_cause\":{\"token_expired\":1,\"api_key_rotated\":2,\"device_clock_skew\":1}}");
    assertEquals(tree, Redactor.redactValues(tree));
  }

  @Test
  void everyTerminalLineIsRedacted() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = Redactor.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    err.println("sfu-triage: --from: not an ISO-8601 instant: '" + JWT + "'");
    err.printf("[%5.1fs] %s%n", 1.5, "password=hunter22");
    err.print("partial Authorization: Bearer abcdef");
    err.print("0123456789\n");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("eyJ") || text.contains("hunter22") || text.contains("abcdef"), text);
    assertEquals(3, text.split("\n").length, text);
    err.print("\r[ 12%] reading, password=hunter33");
    err.print("\r[ 13%] reading");
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\r[ 12%] reading, password=[REDACTED]\r"),
        "a progress line redrawn with \\r reaches the terminal at once, redacted");
  }
}
