package dev.sfutriage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactorTest {
  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTU0NTY5MzEsImlzcyI6IkFQSWZOaXU4bVRiczd4dyIsInN1YiI6InVzcl8xIn0.3q2-7sBqZ3HkR0mFz0Jb6w8qRk9vQ1c2U0a2d3Zx4yA";

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
  void masksEmailsWithAStableHashAndLeavesOrdinaryTextAlone() {
    String a = Redactor.redact("user anna.berg@example.se failed");
    assertFalse(a.contains("anna"));
    assertEquals(a, Redactor.redact("user anna.berg@example.se failed"));
    assertFalse(a.equals(Redactor.redact("user olle@example.se failed")));
    String ordinary = "event=livekit_token_issued ttl_seconds=600 status_code=503 path=/sfu/token error=LiveKit configuration missing";
    assertEquals(ordinary, Redactor.redact(ordinary));
  }
}
