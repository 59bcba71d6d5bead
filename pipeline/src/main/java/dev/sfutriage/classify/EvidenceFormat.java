package dev.sfutriage.classify;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Evidence;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Numbers;
import java.util.List;
import java.util.Map;

/** Short human details for evidence and timelines: the attributes a support engineer looks at first. */
public final class EvidenceFormat {
  private static final List<String> KEYS = List.of(
      "detail", "state", "action", "participant_identity", "reason", "method", "path", "status_code", "error",
      "webhook_event", "job_id", "attempt", "job_status", "last_error", "egress_status", "egress_error", "room",
      "ttl_seconds", "error_type", "tag", "exception_type", "value", "clock_skew_seconds", "disconnect_reason",
      "participant_count", "duration_ms", "egress_id", "level");

  private EvidenceFormat() {}

  public static Evidence of(Event e) {
    return new Evidence(e.source, e.timeMicros, e.name, detail(e), e.location);
  }

  public static String detail(Event e) {
    StringBuilder sb = new StringBuilder();
    for (String k : KEYS) {
      String v = e.attrs.get(k);
      if (v == null) {
        Number n = e.nums.get(k);
        if (n == null || (k.equals("clock_skew_seconds") && n.doubleValue() == 0)) {
          continue;
        }
        v = Numbers.text(n, "%.3f");
      }
      if (k.equals("detail")) {
        sb.append(v).append(' ');
        continue;
      }
      sb.append(k).append('=').append(v.replace('\n', ' ')).append(' ');
    }
    if (e.attrs.containsKey("clock")) {
      sb.append("(").append(e.attrs.get("clock")).append(") ");
    }
    // Never cut: incidents.jsonl keeps the whole detail; only the HTML shortens it (with the full text on expand).
    return sb.toString().trim();
  }

  /**
   * Fills {name} placeholders of a summary template; {a|b} takes the first that has a value;
   * unknown values render as "?".
   */
  public static String render(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = open < 0 ? -1 : template.indexOf('}', open);
      if (open < 0 || close < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, open);
      String v = null;
      for (String name : template.substring(open + 1, close).split("\\|")) {
        v = v == null ? values.get(name) : v;
      }
      out.append(v == null ? "?" : v);
      i = close + 1;
    }
    return out.toString();
  }
}
