package dev.sfutriage.report;

import static dev.sfutriage.report.IncidentsCsv.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Problems (data-contract §8): incidents that share one root cause. Incidents whose cause is a
 * shared one (the rules' {@code shared: true}: a 503 for everyone, a room never created) group by
 * (symptom, cause, seminar, session) and time: an incident that starts more than {@link #GAP_SECONDS}
 * after the group's latest end starts a new problem. Every other incident is a problem of its own,
 * so every incident carries a problem_id.
 */
final class Problems {
  static final long GAP_SECONDS = 30 * 60;

  private Problems() {}

  /** Adds problem_id to each incident (in place) and returns the problems, oldest first. */
  static List<ObjectNode> assign(List<JsonNode> incidents) {
    Map<String, List<ObjectNode>> byKey = new TreeMap<>();
    for (JsonNode n : incidents) {
      ObjectNode i = (ObjectNode) n;
      String key = i.path("shared_cause").asBoolean(false)
          ? String.join("|", text(i, "symptom"), text(i, "cause"), text(i, "seminar_id"), text(i, "session_id"))
          : "incident|" + text(i, "incident_id");
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    List<ObjectNode> problems = new ArrayList<>();
    for (List<ObjectNode> group : byKey.values()) {
      group.sort(Comparator.comparing((ObjectNode i) -> text(i, "first_seen")).thenComparing(i -> text(i, "incident_id")));
      List<ObjectNode> cur = new ArrayList<>();
      String curEnd = null;
      for (ObjectNode i : group) {
        if (curEnd != null && seconds(text(i, "first_seen")) - seconds(curEnd) > GAP_SECONDS) {
          problems.add(problem(cur));
          cur = new ArrayList<>();
          curEnd = null;
        }
        cur.add(i);
        String end = text(i, "last_seen");
        curEnd = curEnd == null || end.compareTo(curEnd) > 0 ? end : curEnd;
      }
      problems.add(problem(cur));
    }
    problems.sort(Comparator.comparing((ObjectNode p) -> text(p, "first_seen")).thenComparing(p -> text(p, "problem_id")));
    return problems;
  }

  private static ObjectNode problem(List<ObjectNode> members) {
    ObjectNode first = members.get(0);
    StringBuilder ids = new StringBuilder();
    String firstSeen = text(first, "first_seen");
    String lastSeen = text(first, "last_seen");
    Map<String, String> users = new TreeMap<>();
    for (ObjectNode i : members) {
      ids.append(text(i, "incident_id")).append(',');
      lastSeen = text(i, "last_seen").compareTo(lastSeen) > 0 ? text(i, "last_seen") : lastSeen;
      if (i.hasNonNull("user_id")) {
        users.putIfAbsent(text(i, "user_id"), i.hasNonNull("platform") ? text(i, "platform") : null);
      }
    }
    String id = Fingerprint.sha256("problem|" + ids);
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("problem_id", id);
    p.put("symptom", text(first, "symptom"));
    p.put("cause", text(first, "cause"));
    p.put("severity", text(first, "severity"));
    p.set("seminar_id", first.get("seminar_id"));
    p.set("session_id", first.get("session_id"));
    p.put("first_seen", firstSeen);
    p.put("last_seen", lastSeen);
    p.put("shared_cause", first.path("shared_cause").asBoolean(false));
    p.put("incident_count", members.size());
    ArrayNode u = p.putArray("users");
    users.forEach((user, platform) -> u.addObject().put("user_id", user).put("platform", platform));
    ArrayNode list = p.putArray("incident_ids");
    for (ObjectNode i : members) {
      list.add(text(i, "incident_id"));
      i.put("problem_id", id);
    }
    p.put("resolution", text(first, "resolution"));
    return p;
  }

  private static long seconds(String iso) {
    return java.time.Instant.parse(iso).getEpochSecond();
  }
}
