package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.util.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The exact ad-hoc command that shows an incident's or a problem's whole story: the same inputs, the
 * incident's scope (its session for a session-wide or shared cause, else its user in the seminar) and
 * a window from an hour before its first event to an hour after its last, inside the run's window
 * (whole hours, so the absence waits of the rules still fit). Written as {@code drilldown} into
 * incidents.jsonl and problems.jsonl and shown in the reports.
 */
final class Drilldown {
  static final String JAR = "java -jar pipeline/target/sfu-triage.jar";
  /** Used when the run did not record its input options (summary.run.inputs). */
  static final String SAME_INPUTS = "--inputDir=SAME_AS_THIS_RUN";
  private static final long HOUR = 3_600_000_000L;
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:@/+=,%-]+");

  private Drilldown() {}

  /** Adds {@code drilldown} to every incident and problem (in place). */
  static void annotate(List<? extends JsonNode> incidents, List<? extends JsonNode> problems, JsonNode summary) {
    List<String> inputs = new ArrayList<>();
    summary.path("run").path("inputs").forEach(a -> inputs.add(a.asText()));
    String from = summary.path("window").path("from").asText(null);
    String to = summary.path("window").path("to").asText(null);
    for (JsonNode i : incidents) {
      ((ObjectNode) i).put("drilldown", command(i, i.hasNonNull("user_id") && !i.path("shared_cause").asBoolean(false),
          inputs, from, to));
    }
    for (JsonNode p : problems) {
      boolean many = p.path("incident_count").asInt(1) > 1;
      JsonNode single = p.path("users").size() == 1 && !many ? p.path("users").get(0) : null;
      ObjectNode scope = ((ObjectNode) p).deepCopy();
      if (single != null) {
        scope.set("user_id", single.get("user_id"));
      }
      ((ObjectNode) p).put("drilldown", command(scope, single != null && !p.path("shared_cause").asBoolean(false),
          inputs, from, to));
    }
  }

  /** The command for one incident or problem; {@code byUser}: scope it to the user, else to the session. */
  static String command(JsonNode n, boolean byUser, List<String> inputs, @Nullable String runFrom, @Nullable String runTo) {
    List<String> args = new ArrayList<>();
    args.add(JAR);
    if (inputs.isEmpty()) {
      args.add(SAME_INPUTS);
    } else {
      inputs.forEach(a -> args.add(quote(a)));
    }
    String id = IncidentsCsv.text(n, n.hasNonNull("problem_id") && !n.hasNonNull("incident_id") ? "problem_id" : "incident_id");
    option(args, "seminarId", n.get("seminar_id"));
    if (byUser || !n.hasNonNull("session_id")) {
      option(args, "userId", byUser ? n.get("user_id") : null);
    }
    if (!byUser) {
      option(args, "sessionId", n.get("session_id"));
    }
    Long first = micros(IncidentsCsv.text(n, "first_seen"));
    Long last = micros(IncidentsCsv.text(n, "last_seen"));
    if (first != null && last != null) {
      long from = Math.floorDiv(first, HOUR) * HOUR - HOUR;
      long to = Math.floorDiv(last, HOUR) * HOUR + 2 * HOUR;
      Long a = runFrom == null ? null : micros(runFrom);
      Long b = runTo == null ? null : micros(runTo);
      from = a != null && a > from ? a : from;
      to = b != null && b < to ? b : to;
      args.add("--from=" + seconds(from));
      args.add("--to=" + seconds(to));
    }
    args.add("--output=" + quote("out/drilldown/" + (id.length() > 12 ? id.substring(0, 12) : id)));
    return String.join(" ", args);
  }

  private static void option(List<String> args, String name, @Nullable JsonNode value) {
    if (value != null && !value.isNull() && !value.asText().isEmpty()) {
      args.add(quote("--" + name + "=" + value.asText()));
    }
  }

  /** A shell word: as is when it is safe, else single-quoted. */
  static String quote(String s) {
    return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static String seconds(long micros) {
    String iso = Times.iso(micros);
    return iso.substring(0, 19) + "Z";
  }

  private static @Nullable Long micros(String iso) {
    try {
      return iso.isEmpty() ? null : Times.micros(iso);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
