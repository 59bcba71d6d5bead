package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.ReportModel.Bucket;
import dev.sfutriage.report.ReportModel.CauseRow;
import dev.sfutriage.report.ReportModel.Chart;
import dev.sfutriage.report.ReportModel.Count;
import dev.sfutriage.report.ReportModel.EvidenceSlice;
import dev.sfutriage.report.ReportModel.Headline;
import dev.sfutriage.report.ReportModel.SeminarRow;
import dev.sfutriage.report.ReportModel.SourceRow;
import dev.sfutriage.report.ReportModel.Step;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * report.html: the same content as report.md, as one self-contained page that opens from disk and
 * prints well. Inline CSS and SVG only: no script, no external URL (a Content-Security-Policy forbids
 * both, so even a rendering bug cannot run code), no wall clock.
 *
 * <p>Every string from the data is untrusted (error messages come from users' devices): it is
 * redacted and escaped by {@link #esc}; attributes are only ever built from generated values
 * (indices, fixed colours, enum classes), never from the data.
 */
final class HtmlReport {
  /** Symptom colours that stay the same from night to night; others take the spare colours in order. */
  private static final Map<String, String> SYMPTOM_COLOURS = Map.of(
      "token_fetch_failed", "#4e79a7", "stuck_connecting", "#f28e2b", "media_dropped", "#e15759",
      "recording_missing", "#76b7b2", "connect_with_token_failed", "#59a14f");
  private static final List<String> SPARE_COLOURS =
      List.of("#b07aa1", "#edc948", "#9c755f", "#ff9da7", "#bab0ac", "#86bcb6", "#d37295", "#499894");

  private HtmlReport() {}

  static String render(RunResult r) {
    ReportModel m = new ReportModel(r);
    StringBuilder h = new StringBuilder(64 * 1024 + m.incidents.size() * 6 * 1024);
    h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>sfu-triage report ").append(esc(m, m.windowFrom)).append(" \u2013 ").append(esc(m, m.windowTo))
        .append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
    header(h, m);
    toc(h, m);
    h.append("<main>\n");
    overview(h, m);
    causes(h, m);
    hourly(h, m);
    platforms(h, m);
    seminars(h, m);
    index(h, m);
    incidents(h, m);
    quality(h, m);
    h.append("</main>\n<footer>sfu-triage \u00b7 numbers from summary.json and incidents.jsonl of this run \u00b7 ")
        .append("evidence beyond ").append(ReportModel.EVIDENCE_HEAD + ReportModel.EVIDENCE_TAIL)
        .append(" rows per incident is in incidents.jsonl</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, ReportModel m) {
    h.append("<header>\n<div class=\"brand\">sfu-triage \u00b7 LiveKit seminars</div>\n")
        .append("<h1>Incident report</h1>\n<p class=\"window\">Data window <b>").append(esc(m, m.windowFrom))
        .append("</b> \u2192 <b>").append(esc(m, m.windowTo)).append("</b> (UTC)");
    if (m.hasPrevious) {
      h.append("<br>Compared with last night\u2019s run (").append(esc(m, orNone(m.previousFrom))).append(" \u2192 ")
          .append(esc(m, orNone(m.previousTo))).append(")");
    }
    h.append("</p>\n</header>\n");
  }

  private static void toc(StringBuilder h, ReportModel m) {
    h.append("<nav class=\"toc\" aria-label=\"Contents\"><b>Contents</b>")
        .append("<a href=\"#overview\">Overview</a><a href=\"#causes\">Symptoms \u00d7 causes</a>")
        .append("<a href=\"#hourly\">Per hour</a><a href=\"#platforms\">Platforms &amp; versions</a>")
        .append("<a href=\"#seminars\">Seminars</a><a href=\"#index\">Incident index (").append(m.incidents.size())
        .append(")</a><a href=\"#quality\">Data quality</a></nav>\n");
  }

  private static void overview(StringBuilder h, ReportModel m) {
    Headline k = m.headline;
    h.append("<section id=\"overview\">\n<h2>Overview</h2>\n<div class=\"cards\">\n");
    card(h, m, "Incidents", k.incidents, k.incidentsDelta, m.hasPrevious, "");
    card(h, m, "Critical + high", k.criticalHigh, null, false, k.criticalHigh > 0 ? " alert" : "");
    card(h, m, "Seminars affected", k.seminars, null, false, "");
    card(h, m, "Users affected", k.users, null, false, "");
    card(h, m, "Pending", k.pending, k.pendingDelta, m.hasPrevious, "");
    card(h, m, "Unreadable records", k.unreadable, k.unreadableDelta, m.hasPrevious, "");
    h.append("</div>\n");
    long total = Math.max(1, m.incidents.size());
    h.append("<div class=\"sevbar\" aria-hidden=\"true\">");
    m.bySeverity.forEach((sev, n) -> {
      if (n > 0) {
        h.append("<span class=\"").append(sevClass(sev)).append("\" style=\"width:").append(pct(n, total)).append("\"></span>");
      }
    });
    h.append("</div>\n<p class=\"sevlegend\">");
    m.bySeverity.forEach((sev, n) -> {
      if (n > 0 || ReportModel.SEVERITIES.contains(sev)) {
        h.append("<span class=\"badge ").append(sevClass(sev)).append("\">").append(esc(m, sev)).append("</span> ")
            .append(n).append(" &nbsp; ");
      }
    });
    h.append("</p>\n</section>\n");
  }

  private static void card(StringBuilder h, ReportModel m, String label, long value, @Nullable Long delta, boolean showDelta, String extra) {
    h.append("<div class=\"card").append(extra).append("\"><div class=\"v\">").append(value).append("</div><div class=\"l\">")
        .append(label).append("</div>");
    if (showDelta) {
      h.append("<div class=\"d ").append(deltaClass(delta)).append("\">")
          .append(delta == null ? "n/a" : ReportModel.signed(delta) + " since last night").append("</div>");
    }
    h.append("</div>\n");
  }

  private static void causes(StringBuilder h, ReportModel m) {
    h.append("<section id=\"causes\">\n<h2>Incidents by symptom and cause</h2>\n");
    if (m.causes.isEmpty()) {
      h.append("<p class=\"muted\">No incidents in this window.</p>\n</section>\n");
      return;
    }
    h.append("<table id=\"t-causes\"><thead><tr><th>symptom</th><th>cause</th><th class=\"n\">incidents</th>");
    if (m.hasPrevious) {
      h.append("<th class=\"n\">since last night</th>");
    }
    h.append("</tr></thead><tbody>\n");
    String previous = null;
    for (CauseRow c : m.causes) {
      h.append("<tr><td").append(c.symptom.equals(previous) ? " class=\"rep\"" : "").append("><span class=\"sw\" style=\"background:")
          .append(colour(m, c.symptom)).append("\"></span>")
          .append(esc(m, c.symptom)).append("</td><td>").append(esc(m, c.cause)).append("</td><td class=\"n\">")
          .append(c.count).append("</td>");
      if (m.hasPrevious) {
        h.append("<td class=\"n ").append(deltaClass(c.delta)).append("\">").append(c.delta == null ? "" : ReportModel.signed(c.delta))
            .append("</td>");
      }
      h.append("</tr>\n");
      previous = c.symptom;
    }
    h.append("</tbody></table>\n</section>\n");
  }

  private static void hourly(StringBuilder h, ReportModel m) {
    Chart c = m.chart;
    // Generated text never puts ':' or '=' after a data value: the Redactor's pass over the whole file
    // (OutputFiles) would take "connect_with_token_failed: 1</title>" for a secret field.
    h.append("<section id=\"hourly\">\n<h2>Incidents per hour by symptom</h2>\n<p class=\"muted\">")
        .append(c.hourOfDay ? "By hour of day (UTC) of first seen, summed over the window\u2019s days."
            : "By hour (UTC) of first seen; shaded hours lie outside the data window.")
        .append("</p>\n");
    if (c.buckets.isEmpty()) {
      h.append("<p class=\"muted\">No data window and no incidents: nothing to chart.</p>\n</section>\n");
      return;
    }
    final int width = 1000;
    final int height = 280;
    final double left = 44;
    final double right = 8;
    final double top = 18;
    final double bottom = 46;
    double pw = width - left - right;
    double ph = height - top - bottom;
    int n = c.buckets.size();
    double slot = pw / n;
    double bw = Math.max(1, slot * 0.74);
    long max = niceMax(c.max);
    h.append("<svg class=\"chart\" id=\"hourly-chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"Incidents per hour by symptom\">\n");
    for (int b = 0; b < n; b++) {
      if (!c.buckets.get(b).inWindow) {
        h.append("<rect class=\"out\" x=\"").append(f(left + b * slot)).append("\" y=\"").append(f(top)).append("\" width=\"")
            .append(f(slot)).append("\" height=\"").append(f(ph)).append("\"/>\n");
      }
    }
    int ticks = 4;
    for (int t = 0; t <= ticks; t++) {
      double y = top + ph - ph * t / ticks;
      h.append("<line class=\"grid\" x1=\"").append(f(left)).append("\" x2=\"").append(f(width - right)).append("\" y1=\"")
          .append(f(y)).append("\" y2=\"").append(f(y)).append("\"/><text class=\"ax\" x=\"").append(f(left - 6))
          .append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">").append(max * t / ticks).append("</text>\n");
    }
    int labelEvery = n <= 24 ? 1 : n <= 48 ? 3 : n <= 96 ? 6 : 12;
    for (int b = 0; b < n; b++) {
      Bucket bucket = c.buckets.get(b);
      double x = left + b * slot + (slot - bw) / 2;
      double y = top + ph;
      String label = bucket.label(c.hourOfDay);
      String hour = c.hourOfDay ? label : label.substring(11);
      for (int s = 0; s < m.symptoms.size(); s++) {
        long v = bucket.perSymptom[s];
        if (v == 0) {
          continue;
        }
        double bh = ph * v / max;
        y -= bh;
        h.append("<rect class=\"bar\" x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(bw))
            .append("\" height=\"").append(f(bh)).append("\" fill=\"").append(colour(m, m.symptoms.get(s))).append("\"><title>")
            .append(esc(m, label)).append(" UTC \u00b7 ").append(esc(m, m.symptoms.get(s))).append(" \u00d7 ").append(v)
            .append("</title></rect>\n");
      }
      if (bucket.total > 0 && slot >= 12) {
        h.append("<text class=\"tot\" x=\"").append(f(x + bw / 2)).append("\" y=\"").append(f(y - 4))
            .append("\" text-anchor=\"middle\">").append(bucket.total).append("</text>\n");
      }
      if (b % labelEvery == 0) {
        h.append("<text class=\"ax\" x=\"").append(f(left + b * slot + slot / 2)).append("\" y=\"").append(f(top + ph + 16))
            .append("\" text-anchor=\"middle\">").append(esc(m, hour.substring(0, 2))).append("</text>\n");
      }
      if (!c.hourOfDay && hour.equals("00:00")) {
        h.append("<line class=\"day\" x1=\"").append(f(left + b * slot)).append("\" x2=\"").append(f(left + b * slot))
            .append("\" y1=\"").append(f(top)).append("\" y2=\"").append(f(top + ph + 34)).append("\"/><text class=\"ax day\" x=\"")
            .append(f(left + b * slot + 3)).append("\" y=\"").append(f(top + ph + 34)).append("\">")
            .append(esc(m, label.substring(0, 10))).append("</text>\n");
      }
    }
    h.append("<line class=\"axis\" x1=\"").append(f(left)).append("\" x2=\"").append(f(width - right)).append("\" y1=\"")
        .append(f(top + ph)).append("\" y2=\"").append(f(top + ph)).append("\"/>\n</svg>\n<p class=\"legend\">");
    for (String s : m.symptoms) {
      long total = m.causes.stream().filter(cr -> cr.symptom.equals(s)).mapToLong(cr -> cr.count).sum();
      h.append("<span><span class=\"sw\" style=\"background:").append(colour(m, s)).append("\"></span>")
          .append(esc(m, m.symptomTitles.getOrDefault(s, s))).append(" <code>").append(esc(m, s)).append("</code> ")
          .append(total).append("</span>");
    }
    h.append("</p>\n</section>\n");
  }

  private static void platforms(StringBuilder h, ReportModel m) {
    h.append("<section id=\"platforms\">\n<h2>Platforms and app versions</h2>\n<div class=\"two\">\n");
    countTable(h, m, "t-platforms", "platform", m.platforms, m.incidents.size());
    countTable(h, m, "t-versions", "app version", m.appVersions, m.incidents.size());
    h.append("</div>\n</section>\n");
  }

  private static void countTable(StringBuilder h, ReportModel m, String id, String what, List<Count> rows, long total) {
    h.append("<table id=\"").append(id).append("\"><thead><tr><th>").append(what)
        .append("</th><th class=\"n\">incidents</th><th class=\"n\">share</th><th class=\"barcol\"></th></tr></thead><tbody>\n");
    for (Count c : rows) {
      h.append("<tr><td>").append(esc(m, c.name)).append("</td><td class=\"n\">").append(c.count).append("</td><td class=\"n\">")
          .append(pct(c.count, total)).append("</td><td class=\"barcol\"><span class=\"hbar\" style=\"width:")
          .append(pct(c.count, total)).append("\"></span></td></tr>\n");
    }
    if (rows.isEmpty()) {
      h.append("<tr><td colspan=\"4\" class=\"muted\">no incidents</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void seminars(StringBuilder h, ReportModel m) {
    h.append("<section id=\"seminars\">\n<h2>Most affected seminars</h2>\n");
    if (m.seminars.isEmpty()) {
      h.append("<p class=\"muted\">No incident names a seminar.</p>\n</section>\n");
      return;
    }
    h.append("<table id=\"t-seminars\"><thead><tr><th>seminar</th><th class=\"n\">incidents</th><th class=\"n\">users</th>")
        .append("<th>worst</th><th>symptoms</th></tr></thead><tbody>\n");
    for (SeminarRow s : m.seminars) {
      h.append("<tr><td><code>").append(esc(m, s.seminarId)).append("</code></td><td class=\"n\">").append(s.incidents)
          .append("</td><td class=\"n\">").append(s.users).append("</td><td><span class=\"badge ").append(sevClass(s.worstSeverity))
          .append("\">").append(esc(m, s.worstSeverity)).append("</span></td><td>");
      for (int k = 0; k < s.symptoms.size(); k++) {
        Count c = s.symptoms.get(k);
        h.append(k == 0 ? "" : ", ").append(esc(m, c.name)).append(" \u00d7").append(c.count);
      }
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  private static void index(StringBuilder h, ReportModel m) {
    h.append("<section id=\"index\">\n<h2>Incident index</h2>\n");
    if (m.incidents.isEmpty()) {
      h.append("<p class=\"muted\">No incidents.</p>\n</section>\n");
      return;
    }
    h.append("<table id=\"t-index\" class=\"compact\"><thead><tr><th>#</th><th>first seen (UTC)</th><th>severity</th>")
        .append("<th>symptom</th><th>cause</th><th>seminar</th><th>user</th><th>platform</th></tr></thead><tbody>\n");
    for (int k = 0; k < m.incidents.size(); k++) {
      JsonNode i = m.incidents.get(k);
      String sev = ReportModel.severityOf(i);
      h.append("<tr><td><a href=\"#i").append(k + 1).append("\">#").append(k + 1).append("</a></td><td>")
          .append(esc(m, ReportModel.minute(ReportModel.text(i, "first_seen")))).append("</td><td><span class=\"badge ")
          .append(sevClass(sev)).append("\">").append(esc(m, ReportModel.text(i, "severity"))).append("</span></td><td>")
          .append(esc(m, ReportModel.text(i, "symptom"))).append("</td><td>").append(esc(m, ReportModel.text(i, "cause")))
          .append("</td><td>").append(esc(m, ReportModel.text(i, "seminar_id"))).append("</td><td>")
          .append(esc(m, ReportModel.text(i, "user_id"))).append("</td><td>").append(esc(m, ReportModel.text(i, "platform")))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  private static void incidents(StringBuilder h, ReportModel m) {
    if (m.incidents.isEmpty()) {
      return;
    }
    h.append("<section id=\"incidents\">\n<h2>Incidents</h2>\n");
    for (int k = 0; k < m.incidents.size(); k++) {
      incident(h, m, m.incidents.get(k), k + 1);
    }
    h.append("</section>\n");
  }

  private static void incident(StringBuilder h, ReportModel m, JsonNode i, int number) {
    String sev = ReportModel.severityOf(i);
    String first = ReportModel.text(i, "first_seen");
    h.append("<article id=\"i").append(number).append("\" class=\"inc ").append(sevClass(sev)).append("\">\n<h3><span class=\"num\">#")
        .append(number).append("</span> <span class=\"badge ").append(sevClass(sev)).append("\">")
        .append(esc(m, ReportModel.text(i, "severity"))).append("</span> ").append(esc(m, ReportModel.text(i, "title")))
        .append(" <span class=\"cause\">").append(esc(m, ReportModel.text(i, "cause"))).append("</span>")
        .append("<a class=\"up\" href=\"#index\" aria-label=\"back to the index\">\u2191 index</a></h3>\n<p class=\"summary\">")
        .append(esc(m, ReportModel.text(i, "summary"))).append("</p>\n<dl class=\"facts\">");
    fact(h, m, "seminar", ReportModel.text(i, "seminar_id"));
    fact(h, m, "session", ReportModel.text(i, "session_id"));
    fact(h, m, "user", ReportModel.text(i, "user_id"));
    fact(h, m, "platform", ReportModel.text(i, "platform"));
    fact(h, m, "app", ReportModel.text(i, "app_version"));
    fact(h, m, "seen", first + " \u2192 " + ReportModel.text(i, "last_seen") + " (" + ReportModel.duration(i) + ")");
    fact(h, m, "symptom", ReportModel.text(i, "symptom"));
    fact(h, m, "incident", ReportModel.text(i, "incident_id"));
    h.append("</dl>\n<div class=\"resolution\"><b>Resolution</b> ").append(esc(m, ReportModel.text(i, "resolution")))
        .append("</div>\n");
    List<Step> steps = m.checklistSteps(i);
    if (!steps.isEmpty()) {
      h.append("<div class=\"checklist\"><b>Support checklist</b><ul>");
      for (Step s : steps) {
        h.append("<li><span class=\"step\">").append(s.number).append("</span>").append(esc(m, s.text)).append("</li>");
      }
      h.append("</ul></div>\n");
    }
    if (i.path("checks").size() > 0) {
      h.append("<div class=\"checks\"><b>Checked</b><ul>");
      for (JsonNode c : i.path("checks")) {
        h.append("<li>").append(esc(m, c.asText())).append("</li>");
      }
      h.append("</ul></div>\n");
    }
    EvidenceSlice ev = ReportModel.evidence(i);
    int shown = ev.head.size() + ev.tail.size();
    h.append("<table class=\"evidence\"><caption>Evidence \u00b7 ").append(shown + ev.hidden).append(" event")
        .append(shown + ev.hidden == 1 ? "" : "s").append("</caption><thead><tr><th>time (UTC)</th><th>source</th><th>event</th>")
        .append("<th>detail</th></tr></thead><tbody>\n");
    evidenceRows(h, m, ev.head, first);
    if (ev.hidden > 0) {
      h.append("<tr class=\"more\"><td colspan=\"4\">+").append(ev.hidden)
          .append(" more in incidents.jsonl (between the rows above and below)</td></tr>\n");
    }
    evidenceRows(h, m, ev.tail, first);
    if (shown == 0) {
      h.append("<tr><td colspan=\"4\" class=\"muted\">no evidence recorded</td></tr>\n");
    }
    h.append("</tbody></table>\n</article>\n");
  }

  private static void evidenceRows(StringBuilder h, ReportModel m, List<JsonNode> rows, String firstSeen) {
    for (JsonNode e : rows) {
      h.append("<tr><td class=\"t\">").append(esc(m, ReportModel.evidenceTime(ReportModel.text(e, "timestamp"), firstSeen)))
          .append("</td><td>").append(esc(m, ReportModel.text(e, "source"))).append("</td><td>")
          .append(esc(m, ReportModel.text(e, "event"))).append("</td><td class=\"detail\">").append(esc(m, ReportModel.text(e, "detail")))
          .append("</td></tr>\n");
    }
  }

  private static void fact(StringBuilder h, ReportModel m, String label, String value) {
    h.append("<div><dt>").append(label).append("</dt><dd").append(value.equals(ReportModel.NONE) ? " class=\"none\"" : "")
        .append(">").append(esc(m, value)).append("</dd></div>");
  }

  private static void quality(StringBuilder h, ReportModel m) {
    h.append("<section id=\"quality\">\n<h2>Data quality</h2>\n");
    if (!m.accountingBalanced) {
      h.append("<p class=\"warn\">The accounting does not balance (read \u2260 dead-lettered + duplicates + filtered + used): ")
          .append("please report this run.</p>\n");
    }
    h.append("<table id=\"t-sources\"><thead><tr><th>source</th><th class=\"n\">read</th><th class=\"n\">dead-lettered</th>")
        .append("<th class=\"n\">duplicates</th><th class=\"n\">filtered</th><th class=\"n\">used</th><th>filtered because</th>")
        .append("</tr></thead><tbody>\n");
    for (SourceRow s : m.sources) {
      h.append("<tr").append(s.balanced() ? "" : " class=\"unbalanced\"").append("><td>").append(esc(m, s.name))
          .append("</td><td class=\"n\">").append(s.read).append("</td><td class=\"n\">").append(s.deadLettered)
          .append("</td><td class=\"n\">").append(s.duplicates).append("</td><td class=\"n\">").append(s.filtered)
          .append("</td><td class=\"n\">").append(s.used).append("</td><td class=\"small\">");
      for (int k = 0; k < s.filteredByReason.size(); k++) {
        Count c = s.filteredByReason.get(k);
        h.append(k == 0 ? "" : ", ").append(esc(m, c.name)).append(" ").append(c.count);
      }
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<h3>Unreadable records by reason</h3>\n");
    if (m.deadLetters.isEmpty()) {
      h.append("<p class=\"muted\">None.</p>\n");
    } else {
      h.append("<table id=\"t-dead\"><thead><tr><th>source</th><th>reason</th><th class=\"n\">records</th></tr></thead><tbody>\n");
      m.deadLetters.forEach((src, reasons) -> reasons.forEach((reason, n) ->
          h.append("<tr><td>").append(esc(m, src)).append("</td><td>").append(esc(m, reason)).append("</td><td class=\"n\">").append(n)
              .append("</td></tr>\n")));
      h.append("</tbody></table>\n<p class=\"muted\">Each record, with its file and line, is in dead_letter.jsonl.</p>\n");
    }
    h.append("<h3>Pending absences</h3>\n");
    if (m.pending.isEmpty()) {
      h.append("<p class=\"muted\">None: every absence could be concluded inside the data window.</p>\n");
    } else {
      h.append("<p class=\"muted\">Not concluded: the wait for the missing event ends after the data window. ")
          .append("Tomorrow\u2019s run decides them.</p>\n<table id=\"t-pending\"><thead><tr><th>symptom</th><th>seminar</th>")
          .append("<th>session</th><th>user</th><th>since</th><th>wait until</th><th>reason</th></tr></thead><tbody>\n");
      for (JsonNode p : m.pending) {
        h.append("<tr><td>").append(esc(m, ReportModel.text(p, "symptom"))).append("</td><td>")
            .append(esc(m, ReportModel.text(p, "seminar_id"))).append("</td><td>").append(esc(m, ReportModel.text(p, "session_id")))
            .append("</td><td>").append(esc(m, ReportModel.text(p, "user_id"))).append("</td><td>")
            .append(esc(m, ReportModel.minute(ReportModel.text(p, "since")))).append("</td><td>")
            .append(esc(m, ReportModel.minute(ReportModel.text(p, "wait_until")))).append("</td><td>")
            .append(esc(m, ReportModel.text(p, "reason"))).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("<h3>Unattributed events</h3>\n");
    if (m.unattributed.isEmpty()) {
      h.append("<p class=\"muted\">None.</p>\n");
    } else {
      h.append("<p class=\"muted\">Events that could not be tied to a seminar or session.</p>\n")
          .append("<table id=\"t-unattributed\"><thead><tr><th>source</th><th class=\"n\">events</th></tr></thead><tbody>\n");
      for (Count c : m.unattributed) {
        h.append("<tr><td>").append(esc(m, c.name)).append("</td><td class=\"n\">").append(c.count).append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("</section>\n");
  }

  /** Redacts, then escapes for HTML text and attribute values (see {@link #escape}). */
  static String esc(String raw) {
    return escape(Redactor.redact(raw));
  }

  private static String esc(ReportModel m, String raw) {
    return escape(m.redact(raw));
  }

  /** Escapes for HTML text and attribute values; control characters become U+FFFD. */
  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          b.append((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '\ufffd' : c);
      }
    }
    return b.toString();
  }

  /** CSS class for a severity: only the four known values, anything else is "sev-unknown". */
  private static String sevClass(String severity) {
    return ReportModel.SEVERITIES.contains(severity) ? "sev-" + severity : "sev-unknown";
  }

  private static String deltaClass(@Nullable Long delta) {
    return delta == null || delta == 0 ? "same" : delta > 0 ? "up" : "down";
  }

  private static String colour(ReportModel m, String symptom) {
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
  private static long niceMax(long max) {
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

  private static String pct(long n, long total) {
    return String.format(Locale.ROOT, "%.0f%%", total == 0 ? 0.0 : 100.0 * n / total);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String orNone(@Nullable String s) {
    return s == null ? ReportModel.NONE : s;
  }

  private static final String CSS = String.join("\n",
      ":root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#2f5d8a;",
      "--critical:#b42318;--high:#dc6803;--medium:#b08600;--low:#52606d;}",
      "*{box-sizing:border-box}",
      "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}",
      "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,",
      "\"Helvetica Neue\",Arial,\"DejaVu Sans\",sans-serif}",
      "code,.t,.detail,dd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"DejaVu Sans Mono\",monospace;font-size:12.5px}",
      "header{background:#1b2a3a;color:#fff;padding:22px 32px 18px}",
      "header .brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#9fb3c8}",
      "header h1{margin:4px 0 6px;font-size:26px;font-weight:650}",
      "header .window{margin:0;color:#d9e2ec}",
      ".toc{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:4px 18px;align-items:center;",
      "background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;font-size:13px}",
      ".toc b{color:var(--muted);font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.06em}",
      "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}",
      "main{max-width:1200px;margin:0 auto;padding:8px 32px 32px}",
      "section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:18px 0}",
      "h2{font-size:18px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}",
      "h3{font-size:15px;margin:18px 0 8px}",
      ".muted{color:var(--muted)}.small{font-size:12px;color:var(--muted)}",
      ".warn{background:#fef3f2;border:1px solid #fda29b;color:#912018;padding:8px 12px;border-radius:6px}",
      ".cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}",
      ".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfd}",
      ".card .v{font-size:28px;font-weight:700;line-height:1.1}.card .l{color:var(--muted);font-size:12.5px}",
      ".card.alert{border-color:#fda29b;background:#fef3f2}.card.alert .v{color:var(--critical)}",
      ".d{font-size:12px;margin-top:4px}.d.up{color:var(--critical)}.d.down{color:#027a48}.d.same{color:var(--muted)}",
      "td.up{color:var(--critical);font-weight:600}td.down{color:#027a48;font-weight:600}td.same{color:var(--muted)}",
      ".sevbar{display:flex;height:10px;border-radius:5px;overflow:hidden;margin:16px 0 6px;background:var(--line)}",
      ".sevbar span{display:block;height:100%}",
      ".sevbar .sev-critical{background:var(--critical)}.sevbar .sev-high{background:var(--high)}",
      ".sevbar .sev-medium{background:var(--medium)}.sevbar .sev-low{background:var(--low)}.sevbar .sev-unknown{background:#9aa5b1}",
      ".sevlegend{margin:0;font-size:13px}",
      ".badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;font-weight:700;text-transform:uppercase;",
      "letter-spacing:.03em;color:#fff;background:#9aa5b1;vertical-align:1px}",
      ".badge.sev-critical{background:var(--critical)}.badge.sev-high{background:var(--high)}",
      ".badge.sev-medium{background:var(--medium)}.badge.sev-low{background:var(--low)}",
      "table{border-collapse:collapse;width:100%;font-size:13px}",
      "th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;border-bottom:1px solid #cbd2d9;padding:5px 8px}",
      "td{border-bottom:1px solid var(--line);padding:4px 8px;vertical-align:top}",
      "tbody tr:nth-child(even){background:#fafbfc}",
      ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
      "tr.unbalanced td{background:#fef3f2}td.rep{color:#9aa5b1}dd.none{color:#9aa5b1}",
      ".compact td{padding:2px 8px}",
      ".sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:0}",
      ".two{display:grid;grid-template-columns:1fr 1fr;gap:24px;align-items:start}",
      ".barcol{width:30%;vertical-align:middle}.hbar{display:block;height:10px;border-radius:3px;background:var(--accent);opacity:.75}",
      "svg.chart{width:100%;height:auto;display:block}",
      "svg .grid{stroke:#e4e7eb;stroke-width:1}svg .axis{stroke:#7b8794;stroke-width:1}",
      "svg .day{stroke:#9aa5b1;stroke-dasharray:3 3}svg text.day{stroke:none;fill:#52606d;font-weight:600}",
      "svg .out{fill:#f0f2f5}",
      "svg text{font:11px system-ui,\"DejaVu Sans\",sans-serif;fill:#616e7c}svg .tot{fill:#1f2933;font-weight:600}",
      ".legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;margin:8px 0 0}",
      ".legend code{color:var(--muted);font-size:11.5px}",
      "article.inc{border:1px solid var(--line);border-left:5px solid #9aa5b1;border-radius:6px;padding:10px 14px;margin:14px 0;",
      "break-inside:avoid-page}",
      "article.sev-critical{border-left-color:var(--critical)}article.sev-high{border-left-color:var(--high)}",
      "article.sev-medium{border-left-color:var(--medium)}article.sev-low{border-left-color:var(--low)}",
      "article h3{margin:0 0 6px;font-size:15px;display:flex;flex-wrap:wrap;align-items:baseline;gap:8px}",
      "article .num{color:var(--muted);font-weight:600}article .cause{font-family:ui-monospace,Menlo,Consolas,",
      "\"DejaVu Sans Mono\",monospace;font-size:12.5px;font-weight:500;color:var(--muted)}",
      "article .up{margin-left:auto;font-size:12px;font-weight:400}",
      ".summary{margin:0 0 8px;font-size:14px}",
      ".facts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0 0 10px}.facts div{display:flex;gap:6px}",
      "dt{color:var(--muted);font-size:12px}dd{margin:0;overflow-wrap:anywhere}",
      ".resolution{background:#eef4fb;border:1px solid #c6d9ef;border-radius:6px;padding:8px 12px;margin:0 0 8px}",
      ".checklist{margin:0 0 10px}.checklist ul{list-style:none;margin:4px 0 0;padding:0}",
      ".checklist li{margin:2px 0}.step{display:inline-block;min-width:20px;height:20px;line-height:20px;text-align:center;",
      "border-radius:50%;background:#1b2a3a;color:#fff;font-size:11px;font-weight:700;margin-right:8px}",
      ".checks{font-size:12.5px;margin:6px 0}.checks ul{margin:2px 0 6px 18px;padding:0}.checks li{overflow-wrap:anywhere}",
      "table.evidence caption{text-align:left;font-weight:600;font-size:12.5px;color:var(--muted);padding:2px 0 4px}",
      "table.evidence{table-layout:fixed}table.evidence th:nth-child(1){width:10.5em}table.evidence th:nth-child(2){width:8.5em}",
      "table.evidence th:nth-child(3){width:17em}table.evidence td{padding:2px 8px;overflow-wrap:anywhere}",
      ".t{white-space:nowrap}.detail{font-size:12px}",
      "tr.more td{color:var(--muted);font-style:italic;text-align:center;background:#f5f7fa}",
      "footer{max-width:1200px;margin:0 auto;padding:0 32px 32px;color:var(--muted);font-size:12px}",
      "@media (max-width:900px){.cards{grid-template-columns:repeat(3,1fr)}.two{grid-template-columns:1fr}}",
      "@media print{body{background:#fff;font-size:10.5pt}header{background:#fff;color:#000;padding:0 0 8px;",
      "border-bottom:2px solid #000}header .brand,header .window{color:#333}.toc,.up{display:none}main{padding:0;max-width:none}",
      "section{border:none;padding:0;margin:14px 0}#incidents{break-before:page}tr{break-inside:avoid}",
      "article.inc{break-inside:auto}footer{padding:0}@page{margin:12mm}}",
      "");
}
