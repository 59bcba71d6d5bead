package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** incidents.csv: one flat row per incident; the evidence in one cell, one line per item. */
final class IncidentsCsv {
  private static final List<String> COLUMNS = List.of("incident_id", "symptom", "cause", "severity", "seminar_id",
      "session_id", "user_id", "platform", "app_version", "first_seen", "last_seen", "summary", "resolution", "problem_id");

  private IncidentsCsv() {}

  static String render(List<JsonNode> incidents) {
    List<String> header = new ArrayList<>(COLUMNS);
    header.add("evidence_count");
    header.add("evidence");
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode i : incidents) {
      List<String> r = new ArrayList<>();
      for (String c : COLUMNS) {
        r.add(text(i, c));
      }
      JsonNode ev = i.path("evidence");
      r.add(Integer.toString(ev.size()));
      StringBuilder sb = new StringBuilder();
      for (JsonNode e : ev) {
        sb.append(text(e, "timestamp")).append(' ').append(text(e, "source")).append(' ').append(text(e, "event"))
            .append(": ").append(text(e, "detail")).append('\n');
      }
      r.add(sb.toString().trim());
      rows.add(r);
    }
    return Csv.table(header, rows);
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
