package dev.sfutriage.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.Accounting;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.BufferedReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * After the pipeline: reads its part files, orders every output deterministically (two runs over the
 * same input give byte-identical files), redacts every value as it is read ({@link Redactor#redactValues}),
 * builds summary.json with the accounting, renders the reports, and commits everything into the
 * output folder ({@link OutputFiles#commit}).
 */
public final class Finalize {
  private static final String DEAD_LETTERS = "dead_letters";

  /** The folder of the pipeline's part files, on any Beam file system. */
  private final String parts;
  private final OutputFiles out;
  private final Set<String> givenSources;
  private final ObjectNode runInfo;
  private final @Nullable JsonNode previousSummary;
  private final List<String> checklist;
  private final boolean timeline;
  private java.util.Map<String, List<String>> partLines;
  private Map<String, List<String>> causesNeeding = Map.of();
  private final DeadLetters deadLetters = new DeadLetters();

  public Finalize(String parts, OutputFiles out, Set<String> givenSources, ObjectNode runInfo,
      @Nullable JsonNode previousSummary, List<String> checklist, boolean timeline) {
    this.timeline = timeline;
    this.parts = parts;
    this.out = out;
    this.givenSources = givenSources;
    this.runInfo = runInfo;
    this.previousSummary = previousSummary;
    this.checklist = checklist;
  }

  /** Per source, the causes that need it (RuleSet.causesNeeding): summary.json's source_gaps name them. */
  public Finalize causesNeeding(Map<String, List<String>> causesNeeding) {
    this.causesNeeding = causesNeeding;
    return this;
  }

  public RunResult run() {
    List<JsonNode> incidents = readJson("incidents");
    incidents.sort(Comparator.comparing((JsonNode n) -> n.path("first_seen").asText())
        .thenComparing(n -> n.path("symptom").asText()).thenComparing(n -> n.path("incident_id").asText()));
    List<JsonNode> pending = readJson("pending");
    pending.sort(Comparator.comparing((JsonNode n) -> n.path("since").asText())
        .thenComparing(n -> n.path("symptom").asText()).thenComparing(JsonNode::toString));
    Map<String, Map<String, Long>> deadReasons = deadLetters.reasons(); // counted as the parts were read
    List<ObjectNode> problems = Problems.assign(incidents);
    ObjectNode summary = (ObjectNode) Redactor.redactValues(summary(incidents, pending, deadReasons));
    summary.set("source_gaps", SourceGaps.of(summary.path("sources"), givenSources, causesNeeding));
    summary.put("problem_count", problems.size());

    List<JsonNode> events = timeline ? JobOutputs.markTimeline(JobOutputs.sortedTimeline(readJson("timeline")), incidents)
        : List.of();
    if (timeline && events.isEmpty()) {
      unmatchedScope(summary);
    }
    String scopeLabel = ReportModel.scopeLabel(summary.path("run").path("scope"), summary.path("window").path("from").asText(null),
        summary.path("window").path("to").asText(null));
    ((ObjectNode) summary.get("run")).put("scope_label", scopeLabel);
    Drilldown.annotate(incidents, problems, summary);

    List<JsonNode> tickets = givenSources.contains(Sources.TICKETS) ? JobOutputs.sortedTickets(readJson("tickets")) : null;
    if (tickets != null) {
      ObjectNode byStatus = summary.putObject("tickets");
      Map<String, Long> counts = new TreeMap<>();
      tickets.forEach(t -> counts.merge(t.path("status").asText(), 1L, Long::sum));
      counts.forEach(byStatus::put);
    }

    out.writeLines("incidents.jsonl", lines(incidents));
    out.writeLines("problems.jsonl", lines(problems));
    out.write("incidents.csv", IncidentsCsv.render(incidents));
    try (deadLetters) {
      out.writeLines("dead_letter.jsonl", deadLetters.sortedLines()); // merged from sorted runs, streamed
    }
    out.write("summary.json", pretty(summary));
    if (tickets != null) {
      out.writeLines("tickets.jsonl", lines(tickets));
      out.write("tickets.csv", JobOutputs.ticketsCsv(tickets));
    }
    if (timeline) {
      out.writeLines("timeline.jsonl", lines(events));
      out.write("timeline.md", JobOutputs.timeline(Templates.MARKDOWN, events, incidents, scopeLabel));
      out.write("timeline.html", JobOutputs.timeline(Templates.HTML, events, incidents, scopeLabel));
    }
    if (givenSources.contains(Sources.WEBHOOK_JOBS)) {
      out.write("replay.sql", JobOutputs.replaySql(readJson("replay"), summary));
    }
    RunResult result = new RunResult(incidents, pending, summary, deadReasons, previousSummary, checklist, problems,
        tickets == null ? List.of() : tickets);
    out.write("report.md", MarkdownReport.render(result));
    out.write("report.html", HtmlReport.render(result));
    return result;
  }

  /** An ad-hoc filter that matched no record of any source is almost always a wrong id: say so. */
  private void unmatchedScope(ObjectNode summary) {
    List<String> filters = new ArrayList<>();
    for (String[] f : new String[][] {{"seminar_id", "--seminarId"}, {"session_id", "--sessionId"}, {"user_id", "--userId"}}) {
      JsonNode v = summary.path("run").path("scope").get(f[0]); // the redacted copy of runInfo
      if (v != null && !v.isNull()) {
        filters.add(f[1] + "=" + v.asText());
      }
    }
    if (!filters.isEmpty()) {
      summary.put("scope_matched", false);
      summary.putArray("warnings").add(String.join(" ", filters) + " matched no record of any source in the window:"
          + " check the id (and the window)");
    }
  }

  private ObjectNode summary(List<JsonNode> incidents, List<JsonNode> pending, Map<String, Map<String, Long>> deadReasons) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.set("run", runInfo);
    List<String> window = readLines("window");
    ObjectNode w = s.putObject("window");
    if (!window.isEmpty()) {
      String[] f = window.get(0).split("\t");
      long from = Long.parseLong(f[0]);
      long to = Long.parseLong(f[1]);
      w.put("from", from <= to ? Times.iso(from) : null);
      w.put("to", from <= to ? Times.iso(to) : null);
    }
    Map<String, Long> stats = new TreeMap<>();
    for (String l : readLines("stats")) {
      int tab = l.lastIndexOf('\t');
      stats.merge(l.substring(0, tab), Long.parseLong(l.substring(tab + 1)), Long::sum);
    }
    ObjectNode sources = s.putObject("sources");
    boolean balanced = true;
    for (String src : Sources.ALL) {
      if (!givenSources.contains(src)) {
        continue;
      }
      ObjectNode o = sources.putObject(src);
      long read = get(stats, src, Accounting.READ);
      long sum = 0;
      o.put(Accounting.READ, read);
      for (String outcome : List.of(Accounting.DEAD_LETTERED, Accounting.DUPLICATES, Accounting.FILTERED, Accounting.USED)) {
        long n = get(stats, src, outcome);
        o.put(outcome, n);
        sum += n;
      }
      balanced &= sum == read;
      ObjectNode filteredBy = o.putObject("filtered_by_reason");
      stats.forEach((k, v) -> {
        String[] p = k.split("\\|", -1);
        if (p[0].equals(src) && p[1].equals(Accounting.FILTERED)) {
          filteredBy.put(p[2], v);
        }
      });
      ObjectNode deadBy = o.putObject("dead_lettered_by_reason");
      deadReasons.getOrDefault(src, Map.of()).forEach(deadBy::put);
    }
    s.put("accounting_balanced", balanced);
    ObjectNode counts = s.putObject("incidents");
    Map<String, Map<String, Long>> bySymptom = new TreeMap<>();
    for (JsonNode i : incidents) {
      bySymptom.computeIfAbsent(i.path("symptom").asText(), k -> new TreeMap<>())
          .merge(i.path("cause").asText(), 1L, Long::sum);
    }
    bySymptom.forEach((sym, causes) -> {
      ObjectNode c = counts.putObject(sym);
      causes.forEach(c::put);
    });
    s.put("incident_count", incidents.size());
    s.putArray("pending").addAll(pending);
    ObjectNode unattributed = s.putObject("unattributed_events");
    stats.forEach((k, v) -> {
      if (k.startsWith("unattributed|")) {
        unattributed.put(k.substring("unattributed|".length()), v);
      }
    });
    return s;
  }

  private static long get(Map<String, Long> stats, String source, String outcome) {
    long n = 0;
    String prefix = source + "|" + outcome + "|";
    for (Map.Entry<String, Long> e : stats.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        n += e.getValue();
      }
    }
    return n;
  }

  /**
   * The lines of one output from the pipeline's part files ("name<TAB>line"), read once, through
   * Beam's FileSystems: the parts are wherever the workers could write them (e.g. gs://).
   */
  List<String> readLines(String name) {
    if (partLines == null) {
      partLines = new java.util.HashMap<>();
      List<ResourceId> files = new ArrayList<>();
      try {
        MatchResult match = FileSystems.match(parts + "/part-*", EmptyMatchTreatment.ALLOW);
        if (match.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata m : match.metadata()) {
            files.add(m.resourceId());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.sort(Comparator.comparing(ResourceId::toString));
      for (ResourceId f : files) {
        try (BufferedReader r = new BufferedReader(Channels.newReader(FileSystems.open(f), StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            int tab = l.indexOf('\t');
            if (tab == DEAD_LETTERS.length() && l.startsWith(DEAD_LETTERS)) {
              deadLetters.add(l.substring(tab + 1)); // millions possible: never all in memory
            } else if (tab > 0) {
              partLines.computeIfAbsent(l.substring(0, tab), k -> new ArrayList<>()).add(l.substring(tab + 1));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return partLines.getOrDefault(name, List.of());
  }

  List<JsonNode> readJson(String name) {
    List<JsonNode> out = new ArrayList<>();
    for (String l : readLines(name)) {
      out.add(parse(l));
    }
    return out;
  }

  /** A part line as a JSON tree, its values redacted: the one redaction point, before any encoding. */
  static JsonNode parse(String l) {
    try {
      return Redactor.redactValues(Json.MAPPER.readTree(l));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt part line: " + e.getMessage());
    }
  }

  static List<String> lines(List<? extends JsonNode> nodes) {
    List<String> out = new ArrayList<>(nodes.size());
    for (JsonNode n : nodes) {
      out.add(n.toString());
    }
    return out;
  }

  static String pretty(JsonNode n) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "file:9" before "file:10". */
  static int naturalCompare(String a, String b) {
    int ia = a.lastIndexOf(':');
    int ib = b.lastIndexOf(':');
    if (ia > 0 && ib > 0 && a.substring(0, ia).equals(b.substring(0, ib))) {
      try {
        return Long.compare(Long.parseLong(a.substring(ia + 1)), Long.parseLong(b.substring(ib + 1)));
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    return a.compareTo(b);
  }
}
