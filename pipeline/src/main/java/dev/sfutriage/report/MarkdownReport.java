package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** report.md: what a support engineer reads in the morning. */
final class MarkdownReport {
  private MarkdownReport() {}

  static String render(RunResult r) {
    StringBuilder md = new StringBuilder();
    JsonNode s = r.summary;
    md.append("# sfu-triage incident report\n\n");
    md.append("Window: ").append(s.path("window").path("from").asText("?")).append(" – ")
        .append(s.path("window").path("to").asText("?")).append("\n\n");
    md.append("**").append(r.incidents.size()).append(" incidents**, ").append(r.pending.size())
        .append(" pending cases, ").append(deadTotal(s)).append(" unreadable records.\n\n");

    md.append("## Incidents by symptom and cause\n\n| symptom | cause | incidents |\n|---|---|---:|\n");
    Iterator<Map.Entry<String, JsonNode>> syms = s.path("incidents").fields();
    while (syms.hasNext()) {
      Map.Entry<String, JsonNode> sym = syms.next();
      Iterator<Map.Entry<String, JsonNode>> causes = sym.getValue().fields();
      while (causes.hasNext()) {
        Map.Entry<String, JsonNode> c = causes.next();
        md.append("| ").append(sym.getKey()).append(" | ").append(c.getKey()).append(" | ").append(c.getValue().asLong()).append(" |\n");
      }
    }
    md.append('\n');

    if (!r.pending.isEmpty()) {
      md.append("## Pending (not concluded: the wait ends after the data window)\n\n");
      for (JsonNode p : r.pending) {
        md.append("- `").append(p.path("symptom").asText()).append("` seminar ").append(cell(p, "seminar_id"))
            .append(p.hasNonNull("session_id") ? " session " + cell(p, "session_id") : "")
            .append(p.hasNonNull("user_id") ? " user " + cell(p, "user_id") : "")
            .append(": ").append(p.path("reason").asText()).append('\n');
      }
      md.append('\n');
    }

    md.append("## Incidents\n\n");
    for (JsonNode i : r.incidents) {
      md.append("### ").append(i.path("title").asText()).append(" — `").append(i.path("cause").asText()).append("` (")
          .append(i.path("severity").asText()).append(")\n\n");
      md.append(escape(i.path("summary").asText())).append("\n\n");
      md.append("- incident `").append(i.path("incident_id").asText()).append("`, seminar `").append(cell(i, "seminar_id"))
          .append("`, session `").append(cell(i, "session_id")).append("`, user `").append(cell(i, "user_id"))
          .append("`, platform ").append(cell(i, "platform")).append(", app ").append(cell(i, "app_version")).append('\n');
      md.append("- seen ").append(i.path("first_seen").asText()).append(" – ").append(i.path("last_seen").asText()).append("\n\n");
      md.append("**Resolution.** ").append(escape(i.path("resolution").asText())).append("\n\n");
      md.append("| time (UTC, corrected) | source | event | detail |\n|---|---|---|---|\n");
      for (JsonNode e : i.path("evidence")) {
        md.append("| ").append(e.path("timestamp").asText()).append(" | ").append(e.path("source").asText())
            .append(" | ").append(e.path("event").asText()).append(" | ").append(escape(e.path("detail").asText())).append(" |\n");
      }
      md.append('\n');
    }

    md.append("## Data quality\n\n| source | read | dead-lettered | duplicates | filtered | used |\n|---|---:|---:|---:|---:|---:|\n");
    Iterator<Map.Entry<String, JsonNode>> srcs = s.path("sources").fields();
    while (srcs.hasNext()) {
      Map.Entry<String, JsonNode> e = srcs.next();
      JsonNode a = e.getValue();
      md.append("| ").append(e.getKey()).append(" | ").append(a.path("read").asLong()).append(" | ")
          .append(a.path("dead_lettered").asLong()).append(" | ").append(a.path("duplicates").asLong()).append(" | ")
          .append(a.path("filtered").asLong()).append(" | ").append(a.path("used").asLong()).append(" |\n");
    }
    md.append('\n');
    if (!r.deadLetterReasons.isEmpty()) {
      md.append("Unreadable records by reason (details in dead_letter.jsonl):\n\n");
      r.deadLetterReasons.forEach((src, reasons) -> reasons.forEach((reason, n) ->
          md.append("- ").append(src).append(": ").append(escape(reason)).append(" × ").append(n).append('\n')));
      md.append('\n');
    }
    return md.toString();
  }

  private static long deadTotal(JsonNode s) {
    long n = 0;
    for (JsonNode src : s.path("sources")) {
      n += src.path("dead_lettered").asLong();
    }
    return n;
  }

  private static String cell(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : "—";
  }

  /** Markdown table cells and text: pipes and angle brackets would break the layout or render as HTML. */
  static String escape(String s) {
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
  }
}
