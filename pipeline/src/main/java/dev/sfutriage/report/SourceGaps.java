package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * summary.json's {@code source_gaps}: every telemetry source the run did not get (not given) or that
 * gave no used record in the window (empty), and which causes of the rules cannot be decided
 * without it. The report's first lines and the terminal show them before any count.
 */
public final class SourceGaps {
  public static final String NOT_GIVEN = "not_given";
  public static final String EMPTY = "empty";

  private SourceGaps() {}

  /**
   * @param sources summary.json's per-source accounting (read, …, used)
   * @param given the sources the run read
   * @param causesNeeding per source, the "symptom/cause" ids that need it (RuleSet.causesNeeding)
   */
  public static ArrayNode of(JsonNode sources, Set<String> given, Map<String, List<String>> causesNeeding) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (String src : Sources.ALL) {
      if (Sources.TICKETS.equals(src)) {
        continue; // an optional job's input, not telemetry
      }
      String state;
      String what;
      if (!given.contains(src)) {
        state = NOT_GIVEN;
        what = src + " not given";
      } else if (sources.path(src).path("used").asLong() == 0) {
        state = EMPTY;
        what = src + " gave no used record in the window (read " + sources.path(src).path("read").asLong() + ")";
      } else {
        continue;
      }
      List<String> causes = causesNeeding.getOrDefault(src, List.of());
      ObjectNode gap = out.addObject();
      gap.put("source", src);
      gap.put("state", state);
      gap.put("detail", what + (causes.isEmpty()
          ? (state.equals(NOT_GIVEN) ? ": no cause needs it, but what only it shows is not detected" : ": no cause needs it")
          : ": " + causes.size() + (causes.size() == 1 ? " cause" : " causes") + " cannot be decided and say unknown"
              + " where they would apply: " + String.join(", ", causes)));
    }
    return out;
  }
}
