package dev.sfutriage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.RunResult;
import java.util.Locale;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The one screen printed at the end of a run: counts, top findings, where each output is. */
final class TerminalSummary {
  private TerminalSummary() {}

  static String render(RunResult r, List<String> written) {
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
    for (JsonNode w : s.path("warnings")) {
      sb.append("\n  !! ").append(w.asText()).append('\n');
    }
    sb.append("\n  ").append(r.incidents.size()).append(" incidents, ").append(r.pending.size()).append(" pending\n");
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
    sb.append('\n');
    for (String p : written) {
      sb.append("  ").append(p).append('\n');
    }
    return sb.toString();
  }
}
