package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What a finished run produced, read back from its parts: the input of every report renderer. */
public final class RunResult {
  /** Incidents in report order (first seen, symptom, id). */
  public final List<JsonNode> incidents;
  public final List<JsonNode> pending;
  /** source → outcome → count, and per-source reason breakdowns. */
  public final JsonNode summary;
  /** source → reason category → count. */
  public final Map<String, Map<String, Long>> deadLetterReasons;
  /** Last night's summary.json (--previousSummary), or null. */
  public final @Nullable JsonNode previousSummary;
  /** The guide's support checklist (step 1 first); incidents name the steps that apply. */
  public final List<String> checklist;
  /** problems.jsonl (every incident in exactly one; a problem of one for an unshared cause), oldest first. */
  public final List<JsonNode> problems;
  /** tickets.jsonl with --tickets (each lists the incidents it matched), else empty. */
  public final List<JsonNode> tickets;

  public RunResult(List<JsonNode> incidents, List<JsonNode> pending, JsonNode summary,
      Map<String, Map<String, Long>> deadLetterReasons, @Nullable JsonNode previousSummary, List<String> checklist) {
    this(incidents, pending, summary, deadLetterReasons, previousSummary, checklist, List.of(), List.of());
  }

  public RunResult(List<JsonNode> incidents, List<JsonNode> pending, JsonNode summary,
      Map<String, Map<String, Long>> deadLetterReasons, @Nullable JsonNode previousSummary, List<String> checklist,
      List<? extends JsonNode> problems, List<JsonNode> tickets) {
    this.problems = List.copyOf(problems);
    this.tickets = tickets;
    this.incidents = incidents;
    this.pending = pending;
    this.summary = summary;
    this.deadLetterReasons = deadLetterReasons;
    this.previousSummary = previousSummary;
    this.checklist = checklist;
  }
}
