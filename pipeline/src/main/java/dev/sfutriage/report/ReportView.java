package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.ReportModel.Bucket;
import dev.sfutriage.report.ReportModel.CauseRow;
import dev.sfutriage.report.ReportModel.Chart;
import dev.sfutriage.report.ReportModel.Count;
import dev.sfutriage.report.ReportModel.EvidenceSlice;
import dev.sfutriage.report.ReportModel.Headline;
import dev.sfutriage.report.ReportModel.ProblemGroup;
import dev.sfutriage.report.ReportModel.SeminarRow;
import dev.sfutriage.report.ReportModel.SourceRow;
import dev.sfutriage.report.ReportModel.Step;
import dev.sfutriage.report.Templates.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What report.html and report.md show, as one tree of plain values for the templates
 * ({@code templates/report.html.mustache}, {@code templates/report.md.mustache}): every string from
 * the data is redacted here, once; escaping is the template engine's ({@link Templates}). Values the
 * HTML needs only (chart coordinates, CSS classes) are generated, never taken from the data.
 */
final class ReportView {
  /** Symptom colours that stay the same from night to night; others take the spare colours in order. */
  private static final Map<String, String> SYMPTOM_COLOURS = Map.of(
      "token_fetch_failed", "#4e79a7", "stuck_connecting", "#f28e2b", "media_dropped", "#e15759",
      "recording_missing", "#76b7b2", "connect_with_token_failed", "#59a14f");
  private static final List<String> SPARE_COLOURS =
      List.of("#b07aa1", "#edc948", "#9c755f", "#ff9da7", "#bab0ac", "#86bcb6", "#d37295", "#499894");
  /** The HTML shows longer evidence details shortened, with the whole text on expand. */
  static final int DETAIL_SHOWN = 160;
  private static final int BAR_WIDTH = 30;

  private final ReportModel m;
  final String title;
  final String scopeLabel;
  final boolean scoped;
  final String windowFrom;
  final String windowTo;
  final boolean hasPrevious;
  final String previousFrom;
  final String previousTo;
  final List<String> alerts = new ArrayList<>();
  final List<Card> headline = new ArrayList<>();
  final List<Sev> severities = new ArrayList<>();
  final List<CauseLine> causes = new ArrayList<>();
  final ChartView chart;
  final List<Text> symptomHeader = new ArrayList<>();
  final List<HourLine> hours = new ArrayList<>();
  final List<Legend> legend = new ArrayList<>();
  final List<Share> platforms;
  final List<Share> versions;
  final List<SeminarLine> seminars = new ArrayList<>();
  final List<IndexLine> index = new ArrayList<>();
  final List<IndexLine> bySeverity = new ArrayList<>();
  final List<Item> items = new ArrayList<>();
  final int problemCount;
  final int sharedProblems;
  final boolean accountingBalanced;
  final List<SourceLine> sources = new ArrayList<>();
  final List<Row> dead = new ArrayList<>();
  final List<Row> pending = new ArrayList<>();
  final List<Row> unattributed = new ArrayList<>();
  final int evidenceCap = ReportModel.EVIDENCE_HEAD + ReportModel.EVIDENCE_TAIL;

  ReportView(ReportModel m) {
    this.m = m;
    this.scopeLabel = r(m.scopeLabel);
    this.scoped = m.scoped;
    this.title = "Incident report" + (m.scoped ? " \u2014 " + scopeLabel : "");
    this.windowFrom = r(m.windowFrom);
    this.windowTo = r(m.windowTo);
    this.hasPrevious = m.hasPrevious;
    this.previousFrom = r(orNone(m.previousFrom));
    this.previousTo = r(orNone(m.previousTo));
    for (JsonNode g : m.gaps) {
      // The detail names the source and what cannot be decided without it (report/SourceGaps).
      String state = ReportModel.text(g, "state");
      alerts.add(r(g.hasNonNull("detail") ? g.get("detail").asText()
          : ReportModel.text(g, "source") + (state.equals("empty") ? " gave no used record in the window" : " not given")));
    }
    m.warnings.forEach(w -> alerts.add(r(w)));

    Headline k = m.headline;
    headline.add(new Card("Incidents", k.incidents, k.incidentsDelta, m.hasPrevious, false));
    headline.add(new Card("Critical + high", k.criticalHigh, null, false, k.criticalHigh > 0));
    headline.add(new Card("Seminars affected", k.seminars, null, false, false));
    headline.add(new Card("Users affected", k.users, null, false, false));
    headline.add(new Card("Pending", k.pending, k.pendingDelta, m.hasPrevious, false));
    headline.add(new Card("Unreadable records", k.unreadable, k.unreadableDelta, m.hasPrevious, false));
    long total = Math.max(1, m.incidents.size());
    m.bySeverity.forEach((sev, n) -> {
      if (n > 0 || ReportModel.SEVERITIES.contains(sev)) {
        severities.add(new Sev(r(sev), sevClass(sev), n, pct(n, total)));
      }
    });
    severities.get(severities.size() - 1).last = true;
    String previous = null;
    for (CauseRow c : m.causes) {
      causes.add(new CauseLine(text(c.symptom), text(c.cause), c.count, c.delta, c.symptom.equals(previous), colour(c.symptom)));
      previous = c.symptom;
    }
    m.symptoms.forEach(s -> symptomHeader.add(text(s)));
    this.chart = new ChartView(m, this);
    for (Bucket b : m.chart.buckets) {
      long width = m.chart.max == 0 ? 0 : Math.round((double) BAR_WIDTH * b.total / m.chart.max);
      hours.add(new HourLine(b.label(m.chart.hourOfDay), !b.inWindow, b.total, b.perSymptom,
          "\u2588".repeat((int) (b.total > 0 ? Math.max(1, width) : 0))));
    }
    for (String s : m.symptoms) {
      long n = m.causes.stream().filter(cr -> cr.symptom.equals(s)).mapToLong(cr -> cr.count).sum();
      legend.add(new Legend(colour(s), r(m.symptomTitles.getOrDefault(s, s)), text(s), n));
    }
    this.platforms = shares("platform", m.platforms, m.incidents.size());
    this.versions = shares("app version", m.appVersions, m.incidents.size());
    for (SeminarRow s : m.seminars) {
      StringBuilder sym = new StringBuilder();
      for (int j = 0; j < s.symptoms.size(); j++) {
        sym.append(j == 0 ? "" : ", ").append(s.symptoms.get(j).name).append(" \u00d7").append(s.symptoms.get(j).count);
      }
      seminars.add(new SeminarLine(text(s.seminarId), s.incidents, s.users, r(s.worstSeverity), sevClass(s.worstSeverity),
          r(sym.toString())));
    }

    Map<String, Integer> number = new HashMap<>();
    for (int j = 0; j < m.incidents.size(); j++) {
      number.put(ReportModel.text(m.incidents.get(j), "incident_id"), j + 1);
    }
    Map<String, String> anchorOf = new HashMap<>();
    int shared = 0;
    for (ProblemGroup g : m.problems) {
      Item item = g.shared() ? new Item(this, g, "P" + (++shared), "p" + shared)
          : new Item(this, g, "#" + number.get(ReportModel.text(g.members.get(0), "incident_id")),
              "i" + number.get(ReportModel.text(g.members.get(0), "incident_id")));
      items.add(item);
      g.members.forEach(i -> anchorOf.put(ReportModel.text(i, "incident_id"), item.anchor + "\t" + (g.shared() ? item.label : "")));
      bySeverity.add(new IndexLine(this, g.members.get(0), item.anchor, item.label, g.shared() ? item.label : "", item.userCount));
    }
    this.problemCount = m.problems.size();
    this.sharedProblems = shared;
    for (int j = 0; j < m.incidents.size(); j++) {
      JsonNode i = m.incidents.get(j);
      String[] a = anchorOf.getOrDefault(ReportModel.text(i, "incident_id"), "i" + (j + 1) + "\t").split("\t", -1);
      index.add(new IndexLine(this, i, a[0], "#" + (j + 1), a[1], i.hasNonNull("user_id") ? 1 : 0));
    }
    bySeverity.sort(Comparator.comparing((IndexLine l) -> l.rank).thenComparing(l -> l.firstSeen));

    this.accountingBalanced = m.accountingBalanced;
    for (SourceRow s : m.sources) {
      sources.add(new SourceLine(r(s.name), s, r(joinCounts(s.filteredByReason))));
    }
    m.deadLetters.forEach((src, reasons) -> reasons.forEach((reason, n) ->
        dead.add(new Row(List.of(text(src), text(reason)), n))));
    for (JsonNode p : m.pending) {
      pending.add(new Row(List.of(id(p, "symptom"), id(p, "seminar_id"), id(p, "session_id"), id(p, "user_id"),
          text(ReportModel.minute(ReportModel.text(p, "since"))), text(ReportModel.minute(ReportModel.text(p, "wait_until"))),
          text(ReportModel.text(p, "reason"))), null));
    }
    m.unattributed.forEach(c -> unattributed.add(new Row(List.of(text(c.name)), c.count)));
    has.put("causes", !causes.isEmpty());
    has.put("seminars", !seminars.isEmpty());
    has.put("dead", !dead.isEmpty());
    has.put("pending", !pending.isEmpty());
    has.put("unattributed", !unattributed.isEmpty());
  }

  /** Non-empty lists by name, for a template's "if any" ({@code {{#has.pending}}}). */
  final Map<String, Boolean> has = new HashMap<>();

  boolean hasAlerts() {
    return !alerts.isEmpty();
  }

  boolean noIncidents() {
    return m.incidents.isEmpty();
  }

  int incidentCount() {
    return m.incidents.size();
  }

  // ---- the parts ----

  static final class Card {
    final String label;
    final String lower;
    final long value;
    final boolean showDelta;
    final String delta;
    final boolean hasDelta;
    final String deltaClass;
    final boolean alert;

    Card(String label, long value, @Nullable Long delta, boolean showDelta, boolean alert) {
      this.label = label;
      this.lower = label.toLowerCase(Locale.ROOT);
      this.value = value;
      this.showDelta = showDelta;
      this.hasDelta = delta != null;
      this.delta = delta == null ? "" : ReportModel.signed(delta);
      this.deltaClass = deltaClass(delta);
      this.alert = alert;
    }
  }

  static final class Sev {
    final String name;
    final String cls;
    final long count;
    final boolean any;
    final String width;
    boolean last;

    Sev(String name, String cls, long count, String width) {
      this.name = name;
      this.cls = cls;
      this.count = count;
      this.any = count > 0;
      this.width = width;
    }
  }

  static final class CauseLine {
    final Text symptom;
    final Text cause;
    final long count;
    final String delta;
    final String deltaClass;
    final boolean repeated;
    final String colour;

    CauseLine(Text symptom, Text cause, long count, @Nullable Long delta, boolean repeated, String colour) {
      this.symptom = symptom;
      this.cause = cause;
      this.count = count;
      this.delta = delta == null ? "" : ReportModel.signed(delta);
      this.deltaClass = deltaClass(delta);
      this.repeated = repeated;
      this.colour = colour;
    }
  }

  static final class HourLine {
    final String label;
    final boolean outside;
    final long total;
    final List<Long> cells = new ArrayList<>();
    final String bar;

    HourLine(String label, boolean outside, long total, long[] perSymptom, String bar) {
      this.label = label;
      this.outside = outside;
      this.total = total;
      for (long v : perSymptom) {
        cells.add(v);
      }
      this.bar = bar;
    }
  }

  static final class Legend {
    final String colour;
    final String title;
    final Text symptom;
    final long count;

    Legend(String colour, String title, Text symptom, long count) {
      this.colour = colour;
      this.title = title;
      this.symptom = symptom;
      this.count = count;
    }
  }

  static final class Share {
    final String what;
    final Text name;
    final long count;
    final String share;

    Share(String what, Text name, long count, String share) {
      this.what = what;
      this.name = name;
      this.count = count;
      this.share = share;
    }
  }

  static final class SeminarLine {
    final Text seminar;
    final long incidents;
    final long users;
    final String worst;
    final String worstClass;
    final String symptoms;

    SeminarLine(Text seminar, long incidents, long users, String worst, String worstClass, String symptoms) {
      this.seminar = seminar;
      this.incidents = incidents;
      this.users = users;
      this.worst = worst;
      this.worstClass = worstClass;
      this.symptoms = symptoms;
    }
  }

  /** A row of the index by time (one per incident) or by severity (one per problem). */
  static final class IndexLine {
    final String anchor;
    final String label;
    final String problem;
    final String firstSeen;
    final String severity;
    final String sevClass;
    final int rank;
    final Text symptom;
    final Text cause;
    final Text seminar;
    final Text user;
    final Text platform;
    final int users;

    IndexLine(ReportView v, JsonNode i, String anchor, String label, String problem, int users) {
      this.anchor = anchor;
      this.label = label;
      this.problem = problem;
      this.firstSeen = v.r(ReportModel.minute(ReportModel.text(i, "first_seen")));
      this.severity = v.r(ReportModel.text(i, "severity"));
      this.sevClass = sevClass(ReportModel.severityOf(i));
      int rank = ReportModel.SEVERITIES.indexOf(ReportModel.severityOf(i));
      this.rank = rank < 0 ? ReportModel.SEVERITIES.size() : rank;
      this.symptom = v.id(i, "symptom");
      this.cause = v.id(i, "cause");
      this.seminar = v.id(i, "seminar_id");
      this.user = v.id(i, "user_id");
      this.platform = v.id(i, "platform");
      this.users = users;
    }
  }

  /**
   * One card of the "Problems and incidents" section: a problem of several incidents (shown once, with
   * its users) or a single incident, as before.
   */
  static final class Item {
    final boolean problem;
    final String label;
    final String anchor;
    final String severity;
    final String severityUpper;
    final String sevClass;
    final String title;
    final Text cause;
    final Text symptom;
    final String summary;
    final List<Fact> facts = new ArrayList<>();
    final Text seminar;
    final Text session;
    final Text user;
    final String platform;
    final String app;
    final String seen;
    final Text incidentId;
    final Text problemId;
    final int userCount;
    final String usersLabel;
    final String platformsLine;
    final List<Member> members = new ArrayList<>();
    final String resolution;
    final List<Step> steps = new ArrayList<>();
    final List<String> checks = new ArrayList<>();
    final String evidenceNote;
    final List<Ev> head = new ArrayList<>();
    final List<Ev> tail = new ArrayList<>();
    final int hidden;
    final boolean noEvidence;
    final List<Ticket> tickets = new ArrayList<>();
    final @Nullable Text drilldown;

    Item(ReportView v, ProblemGroup g, String label, String anchor) {
      JsonNode first = g.members.get(0);
      JsonNode p = g.problem;
      this.problem = g.shared();
      this.label = label;
      this.anchor = anchor;
      this.severity = v.r(ReportModel.text(first, "severity"));
      this.severityUpper = severity.toUpperCase(Locale.ROOT);
      this.sevClass = sevClass(ReportModel.severityOf(first));
      this.title = v.r(ReportModel.text(first, "title"));
      this.cause = v.id(first, "cause");
      this.symptom = v.id(first, "symptom");
      this.seminar = v.id(first, "seminar_id");
      this.session = v.id(first, "session_id");
      this.user = v.id(first, "user_id");
      this.platform = v.r(ReportModel.text(first, "platform"));
      this.app = v.r(ReportModel.text(first, "app_version"));
      this.incidentId = v.id(first, "incident_id");
      this.problemId = v.id(p, "problem_id");
      String firstSeen = ReportModel.text(first, "first_seen");
      String lastSeen = problem ? ReportModel.text(p, "last_seen") : ReportModel.text(first, "last_seen");
      String span = firstSeen + " \u2192 " + lastSeen + " (" + ReportModel.duration(problem ? p : first) + ")";
      this.seen = v.r(span);
      Map<String, Long> platforms = new TreeMap<>();
      java.util.Set<String> users = new java.util.TreeSet<>();
      for (JsonNode i : g.members) {
        if (i.hasNonNull("user_id")) {
          users.add(i.get("user_id").asText());
        }
        platforms.merge(ReportModel.text(i, "platform"), 1L, Long::sum);
        members.add(new Member(v, i));
      }
      this.userCount = users.size();
      this.usersLabel = userCount + (userCount == 1 ? " user" : " users");
      StringBuilder pl = new StringBuilder();
      for (Count c : ReportModel.sorted(platforms)) {
        pl.append(pl.length() == 0 ? "" : ", ").append(c.name).append(" \u00d7").append(c.count);
      }
      this.platformsLine = v.r(pl.toString());
      this.summary = v.r(problem
          ? usersLabel + " (" + g.members.size() + " incidents) of seminar " + ReportModel.text(first, "seminar_id")
              + (first.hasNonNull("session_id") ? ", session " + first.get("session_id").asText() : "")
              + " share one cause. As seen first: " + ReportModel.text(first, "summary")
          : ReportModel.text(first, "summary"));
      facts.add(new Fact("seminar", seminar));
      facts.add(new Fact("session", session));
      if (problem) {
        facts.add(new Fact("users", new Text(usersLabel)));
        facts.add(new Fact("platforms", new Text(platformsLine)));
      } else {
        facts.add(new Fact("user", user));
        facts.add(new Fact("platform", new Text(platform)));
        facts.add(new Fact("app", new Text(app)));
      }
      facts.add(new Fact("seen", new Text(seen)));
      facts.add(new Fact("symptom", symptom));
      facts.add(new Fact(problem ? "problem" : "incident", problem ? problemId : incidentId));
      this.resolution = v.r(ReportModel.text(first, "resolution"));
      v.m.checklistSteps(first).forEach(s -> steps.add(new Step(s.number, v.r(s.text))));
      first.path("checks").forEach(c -> checks.add(v.r(c.asText())));
      EvidenceSlice ev = ReportModel.evidence(first);
      int all = ev.head.size() + ev.tail.size() + ev.hidden;
      this.evidenceNote = all + (all == 1 ? " event" : " events") + (problem ? " of " + ReportModel.text(first, "user_id")
          .replace(ReportModel.NONE, "the first incident") + ", the first affected" : "");
      ev.head.forEach(e -> head.add(new Ev(v, e, firstSeen)));
      ev.tail.forEach(e -> tail.add(new Ev(v, e, firstSeen)));
      this.hidden = ev.hidden;
      this.noEvidence = all == 0;
      java.util.Set<String> seenTickets = new java.util.HashSet<>();
      for (JsonNode i : g.members) {
        for (JsonNode t : v.m.ticketsByIncident.getOrDefault(ReportModel.text(i, "incident_id"), List.of())) {
          if (seenTickets.add(ReportModel.text(t, "ticket_id"))) {
            tickets.add(new Ticket(v, t));
          }
        }
      }
      tickets.sort(Comparator.comparing(t -> t.id.text));
      JsonNode dd = p.hasNonNull("drilldown") ? p.get("drilldown") : first.get("drilldown");
      this.drilldown = dd == null || dd.isNull() ? null : Text.command(v.r(dd.asText()));
    }

    boolean hasTickets() {
      return !tickets.isEmpty();
    }

    boolean hasSteps() {
      return !steps.isEmpty();
    }

    boolean hasChecks() {
      return !checks.isEmpty();
    }

    boolean hasHidden() {
      return hidden > 0;
    }
  }

  static final class Fact {
    final String label;
    final Text value;
    final boolean none;

    Fact(String label, Text value) {
      this.label = label;
      this.value = value;
      this.none = value.text.equals(ReportModel.NONE);
    }
  }

  /** An affected user of a problem: who, on what, first seen when, which incident. */
  static final class Member {
    final Text user;
    final String platform;
    final String firstSeen;
    final Text incidentId;

    Member(ReportView v, JsonNode i) {
      this.user = v.id(i, "user_id");
      this.platform = v.r(ReportModel.text(i, "platform"));
      this.firstSeen = v.r(ReportModel.text(i, "first_seen"));
      this.incidentId = v.id(i, "incident_id");
    }
  }

  /** An evidence row; the HTML shows a long detail shortened, with the whole text on expand. */
  static final class Ev {
    final String time;
    final Text source;
    final Text event;
    final String detail;
    final boolean isLong;
    final String shortDetail;

    Ev(ReportView v, JsonNode e, String firstSeen) {
      this.time = v.r(ReportModel.evidenceTime(ReportModel.text(e, "timestamp"), firstSeen));
      this.source = v.id(e, "source");
      this.event = v.id(e, "event");
      this.detail = v.r(ReportModel.text(e, "detail"));
      this.isLong = detail.length() > DETAIL_SHOWN;
      this.shortDetail = isLong ? detail.substring(0, DETAIL_SHOWN) + "\u2026" : detail;
    }
  }

  static final class Ticket {
    final Text id;
    final String subject;
    final Text status;

    Ticket(ReportView v, JsonNode t) {
      this.id = v.id(t, "ticket_id");
      this.subject = v.r(ReportModel.text(t, "subject"));
      this.status = v.id(t, "status");
    }
  }

  static final class SourceLine {
    final String name;
    final boolean unbalanced;
    final long read;
    final long deadLettered;
    final long duplicates;
    final long filtered;
    final long used;
    final String filteredBy;

    SourceLine(String name, SourceRow s, String filteredBy) {
      this.name = name;
      this.unbalanced = !s.balanced();
      this.read = s.read;
      this.deadLettered = s.deadLettered;
      this.duplicates = s.duplicates;
      this.filtered = s.filtered;
      this.used = s.used;
      this.filteredBy = filteredBy;
    }
  }

  /** A plain row: its text cells, and a count for the last column (or null). */
  static final class Row {
    final List<Text> cells;
    final @Nullable Long count;

    Row(List<Text> cells, @Nullable Long count) {
      this.cells = cells;
      this.count = count;
    }
  }

  /** The hourly chart as SVG coordinates (a 1000 × 280 view box). */
  static final class ChartView {
    final boolean empty;
    final boolean hourOfDay;
    final String note;
    final List<Shape> outside = new ArrayList<>();
    final List<Shape> grid = new ArrayList<>();
    final List<Shape> bars = new ArrayList<>();
    final List<Shape> totals = new ArrayList<>();
    final List<Shape> labels = new ArrayList<>();
    final List<Shape> days = new ArrayList<>();
    final String axisY;
    final String left;
    final String right;

    ChartView(ReportModel m, ReportView v) {
      Chart c = m.chart;
      this.empty = c.buckets.isEmpty();
      this.hourOfDay = c.hourOfDay;
      this.note = c.hourOfDay ? "By hour of day (UTC) of first seen, summed over the window\u2019s days."
          : "By hour (UTC) of first seen; shaded hours lie outside the data window.";
      final int width = 1000;
      final int height = 280;
      final double l = 44;
      final double r = 8;
      final double top = 18;
      final double bottom = 46;
      double pw = width - l - r;
      double ph = height - top - bottom;
      this.axisY = f(top + ph);
      this.left = f(l);
      this.right = f(width - r);
      int n = c.buckets.size();
      if (n == 0) {
        return;
      }
      double slot = pw / n;
      double bw = Math.max(1, slot * 0.74);
      long max = niceMax(c.max);
      for (int b = 0; b < n; b++) {
        if (!c.buckets.get(b).inWindow) {
          outside.add(new Shape(l + b * slot, top, slot, ph, ""));
        }
      }
      int ticks = 4;
      for (int t = 0; t <= ticks; t++) {
        double y = top + ph - ph * t / ticks;
        grid.add(new Shape(l - 6, y, 0, y + 4, Long.toString(max * t / ticks)));
      }
      int labelEvery = n <= 24 ? 1 : n <= 48 ? 3 : n <= 96 ? 6 : 12;
      for (int b = 0; b < n; b++) {
        Bucket bucket = c.buckets.get(b);
        double x = l + b * slot + (slot - bw) / 2;
        double y = top + ph;
        String label = bucket.label(c.hourOfDay);
        String hour = c.hourOfDay ? label : label.substring(11);
        for (int s = 0; s < m.symptoms.size(); s++) {
          long val = bucket.perSymptom[s];
          if (val == 0) {
            continue;
          }
          double bh = ph * val / max;
          y -= bh;
          Shape bar = new Shape(x, y, bw, bh, label + " UTC \u00b7 " + v.r(m.symptoms.get(s)) + " \u00d7 " + val);
          bar.fill = v.colour(m.symptoms.get(s));
          bars.add(bar);
        }
        if (bucket.total > 0 && slot >= 12) {
          totals.add(new Shape(x + bw / 2, y - 4, 0, 0, Long.toString(bucket.total)));
        }
        if (b % labelEvery == 0) {
          labels.add(new Shape(l + b * slot + slot / 2, top + ph + 16, 0, 0, hour.substring(0, 2)));
        }
        if (!c.hourOfDay && hour.equals("00:00")) {
          Shape day = new Shape(l + b * slot, top, l + b * slot + 3, top + ph + 34, label.substring(0, 10));
          days.add(day);
        }
      }
    }
  }

  /** A chart element: x, y, width, height (or second point) as fixed-point text, and its text. */
  static final class Shape {
    final String x;
    final String y;
    final String w;
    final String h;
    final String text;
    String fill = "";

    Shape(double x, double y, double w, double h, String text) {
      this.x = f(x);
      this.y = f(y);
      this.w = f(w);
      this.h = f(h);
      this.text = text;
    }
  }

  // ---- helpers ----

  /** {@link ReportModel#redact}: every string from the data passes here before a template sees it. */
  String r(String raw) {
    return m.redact(raw);
  }

  Text text(String raw) {
    return new Text(r(raw));
  }

  Text id(JsonNode n, String field) {
    return text(ReportModel.text(n, field));
  }

  private List<Share> shares(String what, List<Count> rows, long total) {
    List<Share> out = new ArrayList<>();
    rows.forEach(c -> out.add(new Share(what, text(c.name), c.count, pct(c.count, total))));
    return out;
  }

  private static String joinCounts(List<Count> counts) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < counts.size(); k++) {
      b.append(k == 0 ? "" : ", ").append(counts.get(k).name).append(' ').append(counts.get(k).count);
    }
    return b.toString();
  }

  /** CSS class for a severity: only the four known values, anything else is "sev-unknown". */
  static String sevClass(String severity) {
    return ReportModel.SEVERITIES.contains(severity) ? "sev-" + severity : "sev-unknown";
  }

  static String deltaClass(@Nullable Long delta) {
    return delta == null || delta == 0 ? "same" : delta > 0 ? "up" : "down";
  }

  String colour(String symptom) {
    String known = SYMPTOM_COLOURS.get(symptom);
    if (known != null) {
      return known;
    }
    int spare = 0;
    for (String s : m.symptoms) {
      if (s.equals(symptom)) {
        break;
      }
      if (!SYMPTOM_COLOURS.containsKey(s)) {
        spare++;
      }
    }
    return SPARE_COLOURS.get(spare % SPARE_COLOURS.size());
  }

  /** The y axis top: 4 grid steps of 1, 2, 5, 10, 20, 50 … at or above the tallest bar. */
  static long niceMax(long max) {
    long step = 1;
    while (step * 4 < max) {
      long magnitude = 1;
      while (step / magnitude >= 10) {
        magnitude *= 10;
      }
      long digit = step / magnitude;
      step = digit == 1 ? 2 * magnitude : digit == 2 ? 5 * magnitude : 10 * magnitude;
    }
    return step * 4;
  }

  static String pct(long n, long total) {
    return String.format(Locale.ROOT, "%.0f%%", total == 0 ? 0.0 : 100.0 * n / total);
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String orNone(@Nullable String s) {
    return s == null ? ReportModel.NONE : s;
  }
}
