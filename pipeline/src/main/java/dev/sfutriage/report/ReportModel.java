package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.util.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every number the human reports show, computed once from a {@link RunResult} so that report.md and
 * report.html cannot disagree. Pure function of its input: stable orderings everywhere (count
 * descending, then name), no wall clock.
 */
final class ReportModel {
  static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");
  static final int TOP_SEMINARS = 10;
  /** Evidence rows shown per incident: the first HEAD and the last TAIL; the rest is in incidents.jsonl. */
  static final int EVIDENCE_HEAD = 20;
  static final int EVIDENCE_TAIL = 10;
  /** Longer windows are charted by hour of day (24 bars) instead of one bar per hour. */
  static final int MAX_CHART_DAYS = 7;
  static final String NONE = "(none)";

  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;

  final String windowFrom;
  final String windowTo;
  final List<JsonNode> incidents;
  final boolean hasPrevious;
  final @Nullable String previousFrom;
  final @Nullable String previousTo;
  final Headline headline;
  /** severity → incidents, in {@link #SEVERITIES} order (plus any unexpected value after them). */
  final Map<String, Long> bySeverity;
  final List<CauseRow> causes;
  /** Symptom ids present in the incidents, sorted: the chart's series. */
  final List<String> symptoms;
  final Map<String, String> symptomTitles;
  final List<Count> platforms;
  final List<Count> appVersions;
  final Chart chart;
  final List<SeminarRow> seminars;
  final List<SourceRow> sources;
  final boolean accountingBalanced;
  final Map<String, Map<String, Long>> deadLetters;
  final List<JsonNode> pending;
  final List<Count> unattributed;
  final List<String> checklist;
  /** Problems in time order, each with its incidents; without problems.jsonl every incident is its own. */
  final List<ProblemGroup> problems;
  /** incident id → the tickets that matched it (tickets.jsonl's candidates), by ticket id. */
  final Map<String, List<JsonNode>> ticketsByIncident;
  /** summary.json's source_gaps: sources not given or empty, whose causes could not be decided. */
  final List<JsonNode> gaps;
  /** summary.json's warnings (e.g. a filter that matched nothing). */
  final List<String> warnings;
  /** "seminar 5effcc11-…, 2026-11-23 08:00–12:00"; {@link #scoped} when the run had a filter or tickets. */
  final String scopeLabel;
  final boolean scoped;
  /** Redacted text by raw text: titles, resolutions and ids repeat on every incident. */
  private final Map<String, String> redacted = new HashMap<>();

  ReportModel(RunResult r) {
    JsonNode s = r.summary;
    this.windowFrom = text(s.path("window"), "from");
    this.windowTo = text(s.path("window"), "to");
    this.incidents = r.incidents;
    this.hasPrevious = r.previousSummary != null;
    this.previousFrom = r.previousSummary == null ? null : text(r.previousSummary.path("window"), "from");
    this.previousTo = r.previousSummary == null ? null : text(r.previousSummary.path("window"), "to");
    this.pending = r.pending;
    this.checklist = r.checklist;
    this.deadLetters = r.deadLetterReasons;
    this.problems = groups(r.incidents, r.problems);
    this.ticketsByIncident = ticketsByIncident(r.tickets);
    this.gaps = new ArrayList<>();
    s.path("source_gaps").forEach(gaps::add);
    this.warnings = new ArrayList<>();
    s.path("warnings").forEach(w -> warnings.add(w.asText()));
    JsonNode scope = s.path("run").path("scope");
    this.scopeLabel = s.path("run").hasNonNull("scope_label") ? s.path("run").get("scope_label").asText()
        : scopeLabel(scope, windowFrom, windowTo);
    this.scoped = isAdHoc(scope) || !r.tickets.isEmpty() || s.path("sources").has("tickets");

    Map<String, Long> severity = new LinkedHashMap<>();
    SEVERITIES.forEach(v -> severity.put(v, 0L));
    Map<String, Map<String, Long>> current = new TreeMap<>();
    Map<String, String> titles = new TreeMap<>();
    Map<String, Long> platform = new TreeMap<>();
    Map<String, Long> version = new TreeMap<>();
    TreeSet<String> seminarIds = new TreeSet<>();
    TreeSet<String> userIds = new TreeSet<>();
    for (JsonNode i : incidents) {
      String sym = text(i, "symptom");
      severity.merge(text(i, "severity"), 1L, Long::sum);
      current.computeIfAbsent(sym, k -> new TreeMap<>()).merge(text(i, "cause"), 1L, Long::sum);
      titles.putIfAbsent(sym, i.hasNonNull("title") ? i.get("title").asText() : sym);
      platform.merge(text(i, "platform"), 1L, Long::sum);
      version.merge(text(i, "app_version"), 1L, Long::sum);
      if (i.hasNonNull("seminar_id")) {
        seminarIds.add(i.get("seminar_id").asText());
      }
      if (i.hasNonNull("user_id")) {
        userIds.add(i.get("user_id").asText());
      }
    }
    this.bySeverity = severity;
    this.symptomTitles = titles;
    this.symptoms = new ArrayList<>(current.keySet());
    this.platforms = sorted(platform);
    this.appVersions = sorted(version);
    this.causes = causeRows(current, r.previousSummary == null ? null : counts(r.previousSummary.path("incidents")));

    this.sources = new ArrayList<>();
    long dead = 0;
    Iterator<Map.Entry<String, JsonNode>> it = s.path("sources").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      SourceRow row = new SourceRow(e.getKey(), e.getValue());
      sources.add(row);
      dead += row.deadLettered;
    }
    this.accountingBalanced = s.path("accounting_balanced").asBoolean(true);
    this.unattributed = sorted(longs(s.path("unattributed_events")));

    long criticalHigh = severity.get("critical") + severity.get("high");
    Long incidentsDelta = null;
    Long pendingDelta = null;
    Long deadDelta = null;
    if (r.previousSummary != null) {
      JsonNode p = r.previousSummary;
      long prevIncidents = p.has("incident_count") ? p.path("incident_count").asLong() : total(counts(p.path("incidents")));
      incidentsDelta = incidents.size() - prevIncidents;
      pendingDelta = p.has("pending") ? (long) pending.size() - p.path("pending").size() : null;
      if (p.has("sources")) {
        long prevDead = 0;
        for (JsonNode src : p.path("sources")) {
          prevDead += src.path("dead_lettered").asLong();
        }
        deadDelta = dead - prevDead;
      }
    }
    this.headline = new Headline(incidents.size(), seminarIds.size(), userIds.size(), criticalHigh, pending.size(),
        dead, incidentsDelta, pendingDelta, deadDelta);
    this.seminars = seminarRows(incidents);
    this.chart = chart(incidents, symptoms, windowFrom, windowTo);
  }

  /** One problem (problems.jsonl) and its incidents in time order. */
  static final class ProblemGroup {
    final JsonNode problem;
    final List<JsonNode> members;

    ProblemGroup(JsonNode problem, List<JsonNode> members) {
      this.problem = problem;
      this.members = members;
    }

    /** A problem of several incidents is shown once, as one card. */
    boolean shared() {
      return members.size() > 1;
    }
  }

  private static List<ProblemGroup> groups(List<JsonNode> incidents, List<JsonNode> problems) {
    Map<String, JsonNode> byId = new HashMap<>();
    incidents.forEach(i -> byId.put(text(i, "incident_id"), i));
    List<ProblemGroup> out = new ArrayList<>();
    java.util.Set<String> grouped = new java.util.HashSet<>();
    for (JsonNode p : problems) {
      List<JsonNode> members = new ArrayList<>();
      for (JsonNode id : p.path("incident_ids")) {
        JsonNode i = byId.get(id.asText());
        if (i != null && grouped.add(id.asText())) {
          members.add(i);
        }
      }
      if (!members.isEmpty()) {
        members.sort(Comparator.comparing((JsonNode i) -> text(i, "first_seen")).thenComparing(i -> text(i, "incident_id")));
        out.add(new ProblemGroup(p, members));
      }
    }
    for (JsonNode i : incidents) {
      if (!grouped.contains(text(i, "incident_id"))) {
        out.add(new ProblemGroup(i, List.of(i)));
      }
    }
    out.sort(Comparator.comparing((ProblemGroup g) -> text(g.members.get(0), "first_seen"))
        .thenComparing(g -> text(g.members.get(0), "symptom")).thenComparing(g -> text(g.members.get(0), "incident_id")));
    return out;
  }

  private static Map<String, List<JsonNode>> ticketsByIncident(List<JsonNode> tickets) {
    Map<String, List<JsonNode>> out = new HashMap<>();
    for (JsonNode t : tickets) {
      java.util.Set<String> ids = new TreeSet<>();
      t.path("incidents").forEach(c -> ids.add(text(c, "incident_id")));
      if (t.hasNonNull("incident_id")) {
        ids.add(t.get("incident_id").asText());
      }
      ids.forEach(id -> out.computeIfAbsent(id, k -> new ArrayList<>()).add(t));
    }
    out.values().forEach(l -> l.sort(Comparator.comparing((JsonNode t) -> text(t, "ticket_id"))));
    return out;
  }

  static boolean isAdHoc(JsonNode scope) {
    return scope.hasNonNull("seminar_id") || scope.hasNonNull("session_id") || scope.hasNonNull("user_id");
  }

  /**
   * The run's scope in words: "seminar 5effcc11-…, session …, 2026-11-23 08:00–12:00" (full ids), or
   * "all seminars, 2026-11-23" for a whole UTC day. Times are UTC.
   */
  static String scopeLabel(JsonNode scope, @Nullable String from, @Nullable String to) {
    List<String> parts = new ArrayList<>();
    for (String[] f : new String[][] {{"seminar_id", "seminar"}, {"session_id", "session"}, {"user_id", "user"}}) {
      if (scope.hasNonNull(f[0])) {
        parts.add(f[1] + " " + scope.get(f[0]).asText());
      }
    }
    if (parts.isEmpty()) {
      parts.add("all seminars");
    }
    Long a = from == null ? null : micros(from);
    Long b = to == null ? null : micros(to);
    if (a != null && b != null) {
      String x = Times.iso(a);
      String y = Times.iso(b);
      boolean wholeDays = a % DAY == 0 && b % DAY == 0;
      if (wholeDays && b - a == DAY) {
        parts.add(x.substring(0, 10));
      } else if (wholeDays) {
        parts.add(x.substring(0, 10) + " \u2013 " + Times.iso(b - DAY).substring(0, 10));
      } else if (Math.floorDiv(a, DAY) == Math.floorDiv(b - 1, DAY)) {
        parts.add(x.substring(0, 10) + " " + x.substring(11, 16) + "\u2013" + (b % DAY == 0 ? "24:00" : y.substring(11, 16)));
      } else {
        parts.add(minute(x) + " \u2013 " + minute(y));
      }
    }
    return String.join(", ", parts) + (a != null ? " (UTC)" : "");
  }

  /** Headline figures; deltas are null without last night's summary (or when it lacks the figure). */
  static final class Headline {
    final long incidents;
    final long seminars;
    final long users;
    final long criticalHigh;
    final long pending;
    final long unreadable;
    final @Nullable Long incidentsDelta;
    final @Nullable Long pendingDelta;
    final @Nullable Long unreadableDelta;

    Headline(long incidents, long seminars, long users, long criticalHigh, long pending, long unreadable,
        @Nullable Long incidentsDelta, @Nullable Long pendingDelta, @Nullable Long unreadableDelta) {
      this.incidents = incidents;
      this.seminars = seminars;
      this.users = users;
      this.criticalHigh = criticalHigh;
      this.pending = pending;
      this.unreadable = unreadable;
      this.incidentsDelta = incidentsDelta;
      this.pendingDelta = pendingDelta;
      this.unreadableDelta = unreadableDelta;
    }
  }

  /** One symptom × cause; {@code delta} is null without a previous summary. */
  static final class CauseRow {
    final String symptom;
    final String cause;
    final long count;
    final @Nullable Long delta;

    CauseRow(String symptom, String cause, long count, @Nullable Long delta) {
      this.symptom = symptom;
      this.cause = cause;
      this.count = count;
      this.delta = delta;
    }
  }

  static final class Count {
    final String name;
    final long count;

    Count(String name, long count) {
      this.name = name;
      this.count = count;
    }
  }

  static final class SeminarRow {
    final String seminarId;
    final long incidents;
    final long users;
    final String worstSeverity;
    /** symptom → incidents, most first. */
    final List<Count> symptoms;

    SeminarRow(String seminarId, long incidents, long users, String worstSeverity, List<Count> symptoms) {
      this.seminarId = seminarId;
      this.incidents = incidents;
      this.users = users;
      this.worstSeverity = worstSeverity;
      this.symptoms = symptoms;
    }
  }

  static final class SourceRow {
    final String name;
    final long read;
    final long deadLettered;
    final long duplicates;
    final long filtered;
    final long used;
    final List<Count> filteredByReason;

    SourceRow(String name, JsonNode a) {
      this.name = name;
      this.read = a.path("read").asLong();
      this.deadLettered = a.path("dead_lettered").asLong();
      this.duplicates = a.path("duplicates").asLong();
      this.filtered = a.path("filtered").asLong();
      this.used = a.path("used").asLong();
      this.filteredByReason = sorted(longs(a.path("filtered_by_reason")));
    }

    boolean balanced() {
      return read == deadLettered + duplicates + filtered + used;
    }
  }

  /** The hourly chart: one bucket per hour (or per hour of day when the window is long). */
  static final class Chart {
    final List<Bucket> buckets;
    /** True when buckets are hours of day summed over all days (window longer than MAX_CHART_DAYS). */
    final boolean hourOfDay;
    final long max;

    Chart(List<Bucket> buckets, boolean hourOfDay) {
      this.buckets = buckets;
      this.hourOfDay = hourOfDay;
      this.max = buckets.stream().mapToLong(b -> b.total).max().orElse(0);
    }
  }

  static final class Bucket {
    /** Start of the hour (µs since the epoch), or the hour of day when the chart is by hour of day. */
    final long start;
    /** Counts in {@link ReportModel#symptoms} order. */
    final long[] perSymptom;
    long total;
    /** The hour lies (at least partly) inside the data window. */
    final boolean inWindow;

    Bucket(long start, int series, boolean inWindow) {
      this.start = start;
      this.perSymptom = new long[series];
      this.inWindow = inWindow;
    }

    /** "2026-11-23 18:00" (or "18:00" by hour of day). */
    String label(boolean hourOfDay) {
      if (hourOfDay) {
        return String.format(Locale.ROOT, "%02d:00", start);
      }
      String iso = Times.iso(start);
      return iso.substring(0, 10) + " " + iso.substring(11, 16);
    }
  }

  /** The evidence rows a report shows: head and tail of the list, with how many are left out between. */
  static final class EvidenceSlice {
    final List<JsonNode> head;
    final List<JsonNode> tail;
    final int hidden;

    EvidenceSlice(List<JsonNode> head, List<JsonNode> tail, int hidden) {
      this.head = head;
      this.tail = tail;
      this.hidden = hidden;
    }
  }

  static EvidenceSlice evidence(JsonNode incident) {
    List<JsonNode> all = new ArrayList<>();
    incident.path("evidence").forEach(all::add);
    if (all.size() <= EVIDENCE_HEAD + EVIDENCE_TAIL) {
      return new EvidenceSlice(all, List.of(), 0);
    }
    return new EvidenceSlice(all.subList(0, EVIDENCE_HEAD), all.subList(all.size() - EVIDENCE_TAIL, all.size()),
        all.size() - EVIDENCE_HEAD - EVIDENCE_TAIL);
  }

  static final class Step {
    final int number;
    final String text;

    Step(int number, String text) {
      this.number = number;
      this.text = text;
    }
  }

  /** The checklist steps an incident names, with their text; unknown numbers say so. */
  List<Step> checklistSteps(JsonNode incident) {
    List<Step> steps = new ArrayList<>();
    for (JsonNode n : incident.path("checklist")) {
      int step = n.asInt();
      steps.add(new Step(step, step >= 1 && step <= checklist.size() ? checklist.get(step - 1)
          : "(no such step in the guide's checklist)"));
    }
    return steps;
  }

  /** {@link Redactor#redact}, once per distinct string of this report. */
  String redact(String raw) {
    return redacted.computeIfAbsent(raw, Redactor::redact);
  }

  static String severityOf(JsonNode incident) {
    String s = text(incident, "severity");
    return SEVERITIES.contains(s) ? s : "unknown";
  }

  /** A field's text, or {@link #NONE} when absent, null or empty. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? NONE : v.asText();
  }

  /** "+3", "−2" (minus sign), "±0". */
  static String signed(long d) {
    return d > 0 ? "+" + d : d < 0 ? "\u2212" + (-d) : "\u00b10";
  }

  /** "45s", "12m 3s", "2h 05m". */
  static String duration(JsonNode incident) {
    Long a = micros(text(incident, "first_seen"));
    Long b = micros(text(incident, "last_seen"));
    if (a == null || b == null || b < a) {
      return NONE;
    }
    long s = (b - a) / 1_000_000L;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
  }

  /** Evidence time: "18:02:11.412" on the incident's first day, else "11-24 18:02:11.412"; raw text if unparseable. */
  static String evidenceTime(String iso, String firstSeen) {
    Long t = micros(iso);
    Long day = micros(firstSeen);
    if (t == null) {
      return iso;
    }
    String norm = Times.iso(t);
    String clock = norm.substring(11, norm.length() - 1);
    return day != null && Math.floorDiv(t, DAY) == Math.floorDiv(day, DAY) ? clock : norm.substring(5, 10) + " " + clock;
  }

  /** "2026-11-23 18:02" from an ISO time; raw text if unparseable. */
  static String minute(String iso) {
    Long t = micros(iso);
    if (t == null) {
      return iso;
    }
    String norm = Times.iso(t);
    return norm.substring(0, 10) + " " + norm.substring(11, 16);
  }

  static @Nullable Long micros(String iso) {
    try {
      return Times.micros(iso);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<CauseRow> causeRows(Map<String, Map<String, Long>> current, @Nullable Map<String, Map<String, Long>> previous) {
    Map<String, Map<String, Long>> all = new TreeMap<>();
    current.forEach((s, m) -> all.computeIfAbsent(s, k -> new TreeMap<>()).putAll(m));
    if (previous != null) {
      previous.forEach((s, m) -> m.keySet().forEach(c -> all.computeIfAbsent(s, k -> new TreeMap<>()).putIfAbsent(c, 0L)));
    }
    Map<String, Long> symptomTotals = new TreeMap<>();
    current.forEach((s, m) -> symptomTotals.put(s, m.values().stream().mapToLong(Long::longValue).sum()));
    List<CauseRow> rows = new ArrayList<>();
    all.forEach((s, m) -> m.forEach((c, n) -> {
      Long delta = previous == null ? null : n - previous.getOrDefault(s, Map.of()).getOrDefault(c, 0L);
      rows.add(new CauseRow(s, c, n, delta));
    }));
    rows.sort(Comparator.comparing((CauseRow row) -> -symptomTotals.getOrDefault(row.symptom, 0L))
        .thenComparing(row -> row.symptom).thenComparing(row -> -row.count).thenComparing(row -> row.cause));
    return rows;
  }

  private static List<SeminarRow> seminarRows(List<JsonNode> incidents) {
    Map<String, List<JsonNode>> bySeminar = new TreeMap<>();
    for (JsonNode i : incidents) {
      if (i.hasNonNull("seminar_id")) {
        bySeminar.computeIfAbsent(i.get("seminar_id").asText(), k -> new ArrayList<>()).add(i);
      }
    }
    List<SeminarRow> rows = new ArrayList<>();
    bySeminar.forEach((id, list) -> {
      TreeSet<String> users = new TreeSet<>();
      Map<String, Long> symptoms = new TreeMap<>();
      int worst = SEVERITIES.size();
      for (JsonNode i : list) {
        if (i.hasNonNull("user_id")) {
          users.add(i.get("user_id").asText());
        }
        symptoms.merge(text(i, "symptom"), 1L, Long::sum);
        int sev = SEVERITIES.indexOf(severityOf(i));
        worst = sev >= 0 ? Math.min(worst, sev) : worst;
      }
      rows.add(new SeminarRow(id, list.size(), users.size(), worst < SEVERITIES.size() ? SEVERITIES.get(worst) : "unknown",
          sorted(symptoms)));
    });
    rows.sort(Comparator.comparing((SeminarRow row) -> -row.incidents).thenComparing(row -> -row.users)
        .thenComparing(row -> row.seminarId));
    return rows.size() > TOP_SEMINARS ? new ArrayList<>(rows.subList(0, TOP_SEMINARS)) : rows;
  }

  private static Chart chart(List<JsonNode> incidents, List<String> symptoms, String from, String to) {
    Long wFrom = micros(from);
    Long wTo = micros(to);
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    if (wFrom != null && wTo != null && wFrom <= wTo) {
      lo = wFrom;
      hi = Math.max(wFrom, wTo - 1);
    }
    List<Long> firstSeen = new ArrayList<>();
    for (JsonNode i : incidents) {
      Long t = micros(text(i, "first_seen"));
      firstSeen.add(t);
      if (t != null) {
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
    }
    if (lo > hi) {
      return new Chart(List.of(), false);
    }
    long firstDay = Math.floorDiv(lo, DAY) * DAY;
    long days = Math.floorDiv(hi, DAY) - Math.floorDiv(lo, DAY) + 1;
    boolean hourOfDay = days > MAX_CHART_DAYS;
    int n = hourOfDay ? 24 : (int) (days * 24);
    List<Bucket> buckets = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      long start = hourOfDay ? b : firstDay + b * HOUR;
      boolean inWindow = hourOfDay || wFrom == null || wTo == null || (start + HOUR > wFrom && start < wTo);
      buckets.add(new Bucket(start, symptoms.size(), inWindow));
    }
    for (int k = 0; k < incidents.size(); k++) {
      Long t = firstSeen.get(k);
      if (t == null) {
        continue;
      }
      int b = hourOfDay ? (int) Math.floorMod(Math.floorDiv(t, HOUR), 24L) : (int) ((t - firstDay) / HOUR);
      Bucket bucket = buckets.get(b);
      bucket.perSymptom[symptoms.indexOf(text(incidents.get(k), "symptom"))]++;
      bucket.total++;
    }
    return new Chart(buckets, hourOfDay);
  }

  private static Map<String, Map<String, Long>> counts(JsonNode bySymptom) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = bySymptom.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), longs(e.getValue()));
    }
    return out;
  }

  private static Map<String, Long> longs(JsonNode obj) {
    Map<String, Long> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asLong());
    }
    return out;
  }

  private static long total(Map<String, Map<String, Long>> m) {
    return m.values().stream().flatMap(c -> c.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** Count descending, then name. */
  static List<Count> sorted(Map<String, Long> m) {
    List<Count> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new Count(k, v)));
    out.sort(Comparator.comparing((Count c) -> -c.count).thenComparing(c -> c.name));
    return out;
  }
}
