package dev.sfutriage.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Evidence;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.util.Map;

/** The JSON shapes of the outputs (data-contract §8), with a fixed field order. */
public final class JsonOut {
  private JsonOut() {}

  public static ObjectNode incident(Incident i) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("incident_id", i.incidentId);
    o.put("symptom", i.symptom);
    o.put("cause", i.cause);
    o.put("seminar_id", i.seminarId);
    o.put("session_id", i.sessionId);
    o.put("user_id", i.userId);
    o.put("platform", i.platform);
    o.put("app_version", i.appVersion);
    o.put("first_seen", Times.iso(i.firstSeenMicros));
    o.put("last_seen", Times.iso(i.lastSeenMicros));
    o.put("severity", i.severity);
    o.put("title", i.title);
    o.put("summary", i.summary);
    o.put("resolution", i.resolution);
    ArrayNode checklist = o.putArray("checklist");
    i.checklist.forEach(checklist::add);
    ArrayNode ev = o.putArray("evidence");
    for (Evidence e : i.evidence) {
      ObjectNode x = ev.addObject();
      x.put("source", e.source);
      x.put("timestamp", Times.iso(e.timeMicros));
      x.put("event", e.event);
      x.put("detail", e.detail);
      x.put("location", e.location);
    }
    ArrayNode checks = o.putArray("checks");
    i.checks.forEach(checks::add);
    o.put("shared_cause", i.sharedCause);
    if (i.problemId != null) {
      o.put("problem_id", i.problemId);
    }
    return o;
  }

  public static ObjectNode pending(PendingCase p) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("symptom", p.symptom);
    o.put("seminar_id", p.seminarId);
    o.put("session_id", p.sessionId);
    o.put("user_id", p.userId);
    o.put("since", Times.iso(p.anchorMicros));
    o.put("wait_until", Times.iso(p.waitUntilMicros));
    o.put("reason", p.reason);
    return o;
  }

  public static ObjectNode deadLetter(DeadLetter d) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("source", d.source);
    o.put("location", d.location);
    o.put("reason", d.reason);
    o.put("raw", d.raw);
    return o;
  }

  /** A timeline line: corrected time first, device time where the clock was corrected. */
  public static ObjectNode timeline(Event e) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("timestamp", Times.iso(e.timeMicros));
    if (e.deviceTimeMicros != e.timeMicros) {
      o.put("device_timestamp", Times.iso(e.deviceTimeMicros));
    }
    o.put("source", e.source);
    o.put("event", e.name);
    o.put("seminar_id", e.seminarId);
    o.put("session_id", e.sessionId);
    o.put("user_id", e.userId);
    o.put("platform", e.platform);
    o.put("detail", dev.sfutriage.classify.EvidenceFormat.detail(e));
    ObjectNode attrs = o.putObject("attributes");
    for (Map.Entry<String, String> a : e.attrs.entrySet()) {
      attrs.put(a.getKey(), a.getValue());
    }
    e.nums.forEach((k, v) -> Json.putNumber(attrs, k, v));
    o.put("location", e.location);
    return o;
  }

  public static String line(ObjectNode o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
