package dev.sfutriage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.RunResult;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one screen printed at the end of a run: the accounting, the missing or empty sources, the
 * incidents by symptom and cause, severities, problems, tickets by status, and where the report is.
 */
final class TerminalSummary {
  private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

  private TerminalSummary() {}

  static String render(RunResult r, List<String> written, String reportHtml) {
    StringBuilder sb = new StringBuilder();
    JsonNode s = r.summary;
    sb.append("\nsfu-triage ").append(s.path("window").path("from").asText("?")).append(" – ")
        .append(s.path("window").path("to").asText("?")).append('\n');
    sb.append(String.format(Locale.ROOT, "  %-13s %9s %9s %9s %9s %9s%n", "source", "read", "dead", "dups", "filtered", "used"));
    Iterator<Map.Entry<String, JsonNode>> it = s.path("sources").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      sb.append(String.format(Locale.ROOT, "  %-13s %9d %9d %9d %9d %9d%n", e.getKey(), a.path("read").asLong(),
          a.path("dead_lettered").asLong(), a.path("duplicates").asLong(), a.path("filtered").asLong(), a.path("used").asLong()));
    }
    if (!s.path("accounting_balanced").asBoolean()) {
      sb.append("  !! the accounting does not balance: please report this run\n");
    }
    if (s.path("source_gaps").size() > 0) {
      sb.append('\n');
      for (JsonNode g : s.path("source_gaps")) {
        sb.append("  !! ").append(g.path("detail").asText()).append('\n');
      }
    }
    for (JsonNode w : s.path("warnings")) {
      sb.append("\n  !! ").append(w.asText()).append('\n');
    }
    sb.append("\n  ").append(r.incidents.size()).append(" incidents");
    if (s.has("problem_count")) {
      sb.append(" in ").append(s.path("problem_count").asLong()).append(s.path("problem_count").asLong() == 1 ? " problem" : " problems");
    }
    sb.append(", ").append(r.pending.size()).append(" pending\n");
    Map<String, Long> severities = new TreeMap<>();
    for (JsonNode i : r.incidents) {
      severities.merge(i.path("severity").asText("?"), 1L, Long::sum);
    }
    if (!severities.isEmpty()) {
      StringBuilder sev = new StringBuilder();
      for (String level : SEVERITIES) {
        if (severities.containsKey(level)) {
          sev.append(sev.length() == 0 ? "" : ", ").append(level).append(' ').append(severities.get(level));
        }
      }
      sb.append("  severity: ").append(sev).append('\n');
    }
    Iterator<Map.Entry<String, JsonNode>> syms = s.path("incidents").fields();
    while (syms.hasNext()) {
      Map.Entry<String, JsonNode> sym = syms.next();
      StringBuilder causes = new StringBuilder();
      long total = 0;
      Iterator<Map.Entry<String, JsonNode>> cs = sym.getValue().fields();
      while (cs.hasNext()) {
        Map.Entry<String, JsonNode> c = cs.next();
        total += c.getValue().asLong();
        causes.append(causes.length() == 0 ? "" : ", ").append(c.getKey()).append(' ').append(c.getValue().asLong());
      }
      sb.append(String.format(Locale.ROOT, "  %-26s %4d  (%s)%n", sym.getKey(), total, causes));
    }
    if (s.has("tickets")) {
      StringBuilder t = new StringBuilder();
      s.path("tickets").fields().forEachRemaining(e ->
          t.append(t.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asLong()));
      sb.append("  tickets: ").append(t).append('\n');
    }
    sb.append('\n');
    for (String p : written) {
      sb.append("  ").append(p).append('\n');
    }
    sb.append("\n  report: ").append(reportHtml).append('\n');
    return sb.toString();
  }
}
