package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What a finished run produced, read back from its parts: the input of every report renderer. */
public final class RunResult {
  /** Incidents in report order (first seen, symptom, id). */
  public final List<JsonNode> incidents;
  public final List<JsonNode> pending;
  /** source → outcome → count, and per-source reason breakdowns. */
  public final JsonNode summary;
  /** source → reason category → count. */
  public final Map<String, Map<String, Long>> deadLetterReasons;

  public RunResult(List<JsonNode> incidents, List<JsonNode> pending, JsonNode summary,
      Map<String, Map<String, Long>> deadLetterReasons) {
    this.incidents = incidents;
    this.pending = pending;
    this.summary = summary;
    this.deadLetterReasons = deadLetterReasons;
  }
}
