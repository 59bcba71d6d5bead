package dev.sfutriage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class TimesTest {
  private static final long T = 1_795_456_931_412_000L; // 2026-11-23T18:02:11.412Z

  @Test
  void readsEveryTextFormTheSourcesUse() {
    assertEquals(T, Times.micros("2026-11-23T18:02:11.412Z"));
    assertEquals(T, Times.micros("2026-11-23 18:02:11.412000 UTC"));
    assertEquals(T, Times.micros("2026-11-23 18:02:11.412+00"));
    assertEquals(T, Times.micros("2026-11-23T19:02:11.412+01:00"));
    assertEquals(T, Times.micros("2026-11-23T19:02:11.412+0100"));
    assertEquals(T, Times.micros("2026-11-23T18:02:11.412"));
  }

  @Test
  void tellsEpochUnitsApartByMagnitude() {
    assertEquals(T, Times.micros("1795456931.412"));
    assertEquals(T, Times.micros("1795456931412"));
    assertEquals(T, Times.micros("1795456931412000"));
    assertEquals(T, Times.micros("1795456931412000000"));
    assertEquals(T, Times.micros(JsonNodeFactory.instance.numberNode(1795456931412000L)));
    assertEquals(T, Times.micros(JsonNodeFactory.instance.textNode("1795456931412000")));
  }

  @Test
  void readsAProtobufTimestampObject() throws Exception {
    assertEquals(T, Times.micros(Json.MAPPER.readTree("{\"seconds\": 1795456931, \"nanos\": 412000000}")));
    assertEquals(T, Times.micros(Json.MAPPER.readTree("{\"seconds\": \"1795456931\", \"nanos\": 412000999}")));
    assertEquals(T - 412_000, Times.micros(Json.MAPPER.readTree("{\"seconds\": 1795456931}")));
    assertThrows(IllegalArgumentException.class, () -> Times.micros(Json.MAPPER.readTree("{\"seconds\": 1.5}")));
    assertThrows(IllegalArgumentException.class,
        () -> Times.micros(Json.MAPPER.readTree("{\"seconds\": 1795456931, \"nanos\": 1000000000}")));
  }

  @Test
  void emptyIsAbsentAndGarbageIsAnError() {
    assertNull(Times.micros(""));
    assertNull(Times.micros(JsonNodeFactory.instance.nullNode()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Times.micros("yesterday"));
    assertEquals("unparseable timestamp 'yesterday'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Times.micros(JsonNodeFactory.instance.objectNode()));
  }

  @Test
  void formatsIsoAndParsesDurations() {
    assertEquals("2026-11-23T18:02:11.412Z", Times.iso(T));
    assertEquals("2026-11-23T18:02:11.412001Z", Times.iso(T + 1));
    assertEquals(120_000_000L, Times.durationMicros("2m"));
    assertEquals(90_000_000L, Times.durationMicros("90s"));
    assertEquals(3_600_000_000L, Times.durationMicros("1h"));
    assertEquals(500_000L, Times.durationMicros("500ms"));
    assertThrows(IllegalArgumentException.class, () -> Times.durationMicros("2 fortnights"));
  }
}
