package dev.sfutriage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class EventCoderTest {
  private static final EventCoder CODER = EventCoder.of();

  static List<Event> samples() {
    return List.of(
        Event.builder("analytics", "livekit_connect_failed").time(1_763_856_000_123_456L, 1_763_855_990_000_000L)
            .seminar("sem-1").session("ses-1").user("u-1").platform("ios")
            .attr("error", "could not establish signal connection: ✗ åäö").attr("", "empty key")
            .num("status_code", 401.0).num("clock_skew_seconds", -10.123456).num("nan-free", Double.MAX_VALUE)
            .location("analytics/events_20261123-000000000000.json:17").build(),
        // nothing optional: a global metric sample before 1970 would still round-trip
        Event.builder("metrics", "livekit_webhook_queue_depth").time(-5L).location("").build(),
        Event.builder("backend_logs", "x").time(0L).user("only-user").num("n", Double.NEGATIVE_INFINITY)
            .location("backend/app.jsonl:1").build(),
        // an INT64 keeps every digit and its type; a whole double stays a double
        Event.builder("analytics", "y").time(1L).num("int64", -5164663614086310235L).num("status_code", 200)
            .num("whole_double", 3.0).location("a:1").build());
  }

  @Test
  void integersStayExactLongsAndDoublesStayDoubles() throws Exception {
    Event back = CoderUtils.clone(CODER, samples().get(3));
    assertEquals(Long.valueOf(-5164663614086310235L), back.number("int64"));
    assertEquals(Long.valueOf(200L), back.number("status_code"));
    assertEquals(Double.valueOf(3.0), back.number("whole_double"));
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() throws Exception {
    for (Event e : samples()) {
      Event back = CoderUtils.clone(CODER, e);
      assertEquals(e, back);
      assertEquals(e.toString(), back.toString());
      assertEquals(e.deviceTimeMicros, back.deviceTimeMicros);
      CoderProperties.coderDecodeEncodeEqual(CODER, e);
      CoderProperties.coderDeterministic(CODER, e, CoderUtils.clone(CODER, e));
      CoderProperties.structuralValueDecodeEncodeEqual(CODER, e);
    }
  }

  @Test
  void nestedInAContainerEachElementKeepsItsBoundaries() throws Exception {
    org.apache.beam.sdk.coders.ListCoder<Event> list = org.apache.beam.sdk.coders.ListCoder.of(CODER);
    assertEquals(samples(), CoderUtils.clone(list, samples()));
  }

  @Test
  void framingIsAFewBytesPerFieldAndFarBelowJavaSerialization() throws Exception {
    Event e = samples().get(0);
    int payload = 0;
    int fields = 0;
    for (String s : new String[] {e.source, e.name, e.seminarId, e.sessionId, e.userId, e.platform, e.location}) {
      payload += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      fields++;
    }
    for (var a : e.attrs.entrySet()) {
      payload += a.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          + a.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      fields += 2;
    }
    for (var n : e.nums.entrySet()) {
      payload += n.getKey().length() + 8;
      fields += 2;
    }
    int encoded = CoderUtils.encodeToByteArray(CODER, e).length;
    // one length byte per field, the null mask, two var-int times (≤ 10 bytes each), two map sizes
    assertTrue(encoded <= payload + fields + 1 + 20 + 2, "encoded " + encoded + " for a payload of " + payload);
    int javaSerialized = CoderUtils.encodeToByteArray(org.apache.beam.sdk.coders.SerializableCoder.of(Event.class), e).length;
    assertTrue(encoded * 2 < javaSerialized, "encoded " + encoded + " vs Java serialization " + javaSerialized);
  }

  @Test
  void truncatedInputIsAnErrorNotAWrongEvent() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(CODER, samples().get(0));
    assertThrows(Exception.class, () -> CoderUtils.decodeFromByteArray(CODER, Arrays.copyOf(bytes, bytes.length / 2)));
    assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(CODER, new byte[0]));
  }

  @Test
  void eventsInferThisCoder() throws Exception {
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create();
    assertEquals(CODER, p.getCoderRegistry().getCoder(Event.class));
  }
}
