package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The per-job files: tickets.jsonl/.csv, timeline.jsonl/.md/.html and replay.sql. */
final class JobOutputs {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Pattern STATUS = Pattern.compile("[a-z_]{1,32}");

  private JobOutputs() {}

  static List<JsonNode> sortedTickets(List<JsonNode> tickets) {
    List<JsonNode> out = new ArrayList<>(tickets);
    out.sort(Comparator.comparing((JsonNode n) -> n.path("ticket_id").asText()));
    return out;
  }

  static String ticketsCsv(List<JsonNode> tickets) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode t : tickets) {
      rows.add(List.of(text(t, "ticket_id"), text(t, "status"), text(t, "symptom"), text(t, "cause"), text(t, "seminar_id"),
          text(t, "user_id"), text(t, "platform"), text(t, "reported_at"), text(t, "subject"), text(t, "reason"),
          text(t, "incident_id"),
          Integer.toString(t.path("incidents").size()), Integer.toString(t.path("timeline").size()), text(t, "summary"),
          text(t, "resolution")));
    }
    return Csv.table(List.of("ticket_id", "status", "symptom", "cause", "seminar_id", "user_id", "platform", "reported_at",
        "subject", "reason", "incident_id", "candidate_incidents", "timeline_events", "summary", "resolution"), rows);
  }

  static List<JsonNode> sortedTimeline(List<JsonNode> events) {
    List<JsonNode> out = new ArrayList<>(events);
    out.sort(Comparator.comparing((JsonNode n) -> n.path("timestamp").asText()).thenComparing(n -> n.path("source").asText())
        .thenComparing(n -> n.path("location").asText(), Finalize::naturalCompare));
    return out;
  }

  /**
   * Marks each timeline event: {@code global} (it belongs to no seminar: a webhook rejection, a
   * worker retry, a metric change shown as evidence of the scope's span) and {@code evidence_of}
   * (the ids of the incidents in scope whose evidence it is, matched on time, source, event and
   * location). Returns the same list.
   */
  static List<JsonNode> markTimeline(List<JsonNode> events, List<JsonNode> incidents) {
    Map<String, List<String>> evidenceOf = new HashMap<>();
    for (JsonNode i : incidents) {
      for (JsonNode e : i.path("evidence")) {
        List<String> ids = evidenceOf.computeIfAbsent(evidenceKey(e), k -> new ArrayList<>());
        if (!ids.contains(text(i, "incident_id"))) {
          ids.add(text(i, "incident_id"));
        }
      }
    }
    for (JsonNode n : events) {
      ObjectNode e = (ObjectNode) n;
      e.put("global", !e.hasNonNull("seminar_id"));
      ArrayNode of = e.putArray("evidence_of");
      evidenceOf.getOrDefault(evidenceKey(e), List.of()).forEach(of::add);
    }
    return events;
  }

  private static String evidenceKey(JsonNode e) {
    return String.join("|", text(e, "timestamp"), text(e, "source"), text(e, "event"), text(e, "location"));
  }

  /** timeline.md or timeline.html ({@link Templates}) of a marked timeline. */
  static String timeline(Templates format, List<JsonNode> events, List<JsonNode> incidents, String scopeLabel) {
    return format.render(format == Templates.HTML ? "timeline.html" : "timeline.md",
        new TimelineView(events, incidents, scopeLabel));
  }

  /**
   * The guide's requeue statement per job, commented, guarded by the status the job had in the export
   * ({@code and status = 'failed'}): run late or twice, it leaves a job that has moved on alone. The
   * header says for which window, by which run, from which export. Ids that are not UUIDs and
   * statuses that are not plain words are never put into SQL.
   */
  static String replaySql(List<JsonNode> jobs, JsonNode summary) {
    List<JsonNode> sorted = new ArrayList<>(jobs);
    sorted.sort(Comparator.comparing((JsonNode n) -> n.path("job_id").asText()));
    JsonNode run = summary.path("run");
    StringBuilder sql = new StringBuilder();
    sql.append("-- sfu-triage replay.sql: failed or stuck LiveKit webhook jobs found in this run.\n")
        .append("-- Window ").append(comment(text(summary.path("window"), "from"))).append(" – ")
        .append(comment(text(summary.path("window"), "to"))).append("; run started at ")
        .append(comment(text(run, "started_at"))).append(" (summary.json run.started_at).\n")
        .append("-- From the export: ").append(comment(text(run, "webhook_jobs_export"))).append(".\n")
        .append("-- Each statement requeues its job only while it still has the status it had in that export\n")
        .append("-- (\"and status = ...\"): a job that has finished or was requeued since is left alone, so running\n")
        .append("-- this file late or twice is harmless (0 rows updated).\n")
        .append("-- Review before running: each statement is the troubleshooting guide's requeue step.\n")
        .append("-- sfu-triage never executes this file. Afterwards, verify that livekit_webhook_pending_jobs rises\n")
        .append("-- and watch the backend logs for livekit_webhook_processed.\n\n");
    if (sorted.isEmpty()) {
      sql.append("-- No failed or stuck jobs in this run.\n");
    }
    for (JsonNode j : sorted) {
      String id = text(j, "job_id");
      String status = text(j, "status");
      sql.append("-- job ").append(comment(id)).append(": ").append(comment(text(j, "webhook_event"))).append(", status ")
          .append(comment(status)).append(", attempt ").append(comment(text(j, "attempt"))).append('\n');
      sql.append("-- seminar ").append(comment(text(j, "seminar_id"))).append(", session ").append(comment(text(j, "session_id")))
          .append(", created ").append(comment(text(j, "created_at"))).append(", updated ").append(comment(text(j, "updated_at")))
          .append('\n');
      sql.append("-- last error: ").append(comment(text(j, "last_error"))).append('\n');
      if (UUID.matcher(id).matches() && STATUS.matcher(status).matches()) {
        sql.append("update app.livekit_webhook_jobs\nset status = 'pending', next_run_at = now(), last_error = null\nwhere id = '")
            .append(id.toLowerCase(java.util.Locale.ROOT)).append("' and status = '").append(status).append("';\n\n");
      } else {
        sql.append("-- skipped: the job id is not a UUID or its status not a plain word, so no statement is generated for it\n\n");
      }
    }
    return sql.toString();
  }

  /** Text inside a -- comment: one line, no control characters. */
  private static String comment(String s) {
    String one = s.replaceAll("[\\p{Cntrl}]", " ");
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }

  static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? "" : v.isNumber() ? dev.sfutriage.util.Json.numberText(v.asDouble(), v.asText()) : v.asText();
  }
}
