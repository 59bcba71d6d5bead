package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.ReportModel.Bucket;
import dev.sfutriage.report.ReportModel.CauseRow;
import dev.sfutriage.report.ReportModel.Count;
import dev.sfutriage.report.ReportModel.EvidenceSlice;
import dev.sfutriage.report.ReportModel.Headline;
import dev.sfutriage.report.ReportModel.SeminarRow;
import dev.sfutriage.report.ReportModel.SourceRow;
import dev.sfutriage.report.ReportModel.Step;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * report.md: what a support engineer reads in the morning, in a terminal or pasted into a ticket.
 * Same sections and numbers as report.html (both come from {@link ReportModel}). Data is untrusted:
 * it is redacted and escaped by {@link #escape} so it can neither break a table nor become HTML when
 * a Markdown viewer renders it.
 */
final class MarkdownReport {
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,200}");
  private static final int BAR_WIDTH = 30;

  private MarkdownReport() {}

  static String render(RunResult r) {
    ReportModel m = new ReportModel(r);
    StringBuilder md = new StringBuilder(16 * 1024 + m.incidents.size() * 3 * 1024);
    md.append("# sfu-triage incident report\n\n");
    md.append("Data window **").append(esc(m, m.windowFrom)).append("** → **").append(esc(m, m.windowTo)).append("** (UTC)");
    if (m.hasPrevious) {
      md.append("; compared with last night's run (").append(esc(m, orNone(m.previousFrom))).append(" → ")
          .append(esc(m, orNone(m.previousTo))).append(")");
    }
    md.append(".\n\n");
    overview(md, m);
    causes(md, m);
    hourly(md, m);
    platforms(md, m);
    seminars(md, m);
    index(md, m);
    incidents(md, m);
    quality(md, m);
    return md.toString();
  }

  private static void overview(StringBuilder md, ReportModel m) {
    Headline k = m.headline;
    md.append("## Overview\n\n| | count |").append(m.hasPrevious ? " since last night |" : "").append('\n')
        .append("|---|---:|").append(m.hasPrevious ? "---:|" : "").append('\n');
    headline(md, m, "incidents", k.incidents, k.incidentsDelta);
    headline(md, m, "critical + high", k.criticalHigh, null);
    headline(md, m, "seminars affected", k.seminars, null);
    headline(md, m, "users affected", k.users, null);
    headline(md, m, "pending", k.pending, k.pendingDelta);
    headline(md, m, "unreadable records", k.unreadable, k.unreadableDelta);
    md.append("\nBy severity:");
    m.bySeverity.forEach((sev, n) -> {
      if (n > 0 || ReportModel.SEVERITIES.contains(sev)) {
        md.append(' ').append(esc(m, sev)).append(' ').append(n).append(" ·");
      }
    });
    md.setLength(md.length() - 2);
    md.append(".\n\n");
  }

  private static void headline(StringBuilder md, ReportModel m, String label, long value, @Nullable Long delta) {
    md.append("| ").append(label).append(" | ").append(value).append(" |");
    if (m.hasPrevious) {
      md.append(' ').append(delta == null ? "" : ReportModel.signed(delta)).append(" |");
    }
    md.append('\n');
  }

  private static void causes(StringBuilder md, ReportModel m) {
    md.append("## Incidents by symptom and cause\n\n");
    if (m.causes.isEmpty()) {
      md.append("No incidents in this window.\n\n");
      return;
    }
    md.append("| symptom | cause | incidents |").append(m.hasPrevious ? " since last night |" : "").append('\n')
        .append("|---|---|---:|").append(m.hasPrevious ? "---:|" : "").append('\n');
    for (CauseRow c : m.causes) {
      md.append("| ").append(code(m, c.symptom)).append(" | ").append(code(m, c.cause)).append(" | ").append(c.count).append(" |");
      if (m.hasPrevious) {
        md.append(' ').append(c.delta == null ? "" : ReportModel.signed(c.delta)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static void hourly(StringBuilder md, ReportModel m) {
    md.append("## Incidents per hour by symptom\n\n");
    if (m.chart.buckets.isEmpty()) {
      md.append("No data window and no incidents: nothing to chart.\n\n");
      return;
    }
    md.append(m.chart.hourOfDay ? "By hour of day (UTC) of first seen, summed over the window's days.\n\n"
        : "By hour (UTC) of first seen; hours marked ° lie outside the data window.\n\n");
    md.append("| hour (UTC) | total |");
    for (String s : m.symptoms) {
      md.append(' ').append(code(m, s)).append(" |");
    }
    md.append(" |\n|---|---:|").append("---:|".repeat(m.symptoms.size())).append("---|\n");
    for (Bucket b : m.chart.buckets) {
      md.append("| ").append(b.label(m.chart.hourOfDay)).append(b.inWindow ? "" : " °").append(" | ").append(b.total).append(" |");
      for (long v : b.perSymptom) {
        md.append(' ').append(v).append(" |");
      }
      long width = m.chart.max == 0 ? 0 : Math.round((double) BAR_WIDTH * b.total / m.chart.max);
      md.append(' ').append("█".repeat((int) (b.total > 0 ? Math.max(1, width) : 0))).append(" |\n");
    }
    md.append('\n');
  }

  private static void platforms(StringBuilder md, ReportModel m) {
    md.append("## Platforms and app versions\n\n");
    countTable(md, m, "platform", m.platforms, m.incidents.size());
    countTable(md, m, "app version", m.appVersions, m.incidents.size());
  }

  private static void countTable(StringBuilder md, ReportModel m, String what, List<Count> rows, long total) {
    md.append("| ").append(what).append(" | incidents | share |\n|---|---:|---:|\n");
    for (Count c : rows) {
      md.append("| ").append(esc(m, c.name)).append(" | ").append(c.count).append(" | ")
          .append(String.format(Locale.ROOT, "%.0f%%", total == 0 ? 0.0 : 100.0 * c.count / total)).append(" |\n");
    }
    if (rows.isEmpty()) {
      md.append("| no incidents | | |\n");
    }
    md.append('\n');
  }

  private static void seminars(StringBuilder md, ReportModel m) {
    md.append("## Most affected seminars\n\n");
    if (m.seminars.isEmpty()) {
      md.append("No incident names a seminar.\n\n");
      return;
    }
    md.append("| seminar | incidents | users | worst | symptoms |\n|---|---:|---:|---|---|\n");
    for (SeminarRow s : m.seminars) {
      md.append("| ").append(code(m, s.seminarId)).append(" | ").append(s.incidents).append(" | ").append(s.users).append(" | ")
          .append(s.worstSeverity).append(" | ");
      for (int k = 0; k < s.symptoms.size(); k++) {
        md.append(k == 0 ? "" : ", ").append(esc(m, s.symptoms.get(k).name)).append(" ×").append(s.symptoms.get(k).count);
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  private static void index(StringBuilder md, ReportModel m) {
    md.append("## Incident index\n\n");
    if (m.incidents.isEmpty()) {
      md.append("No incidents.\n\n");
      return;
    }
    md.append("| # | first seen (UTC) | severity | symptom | cause | seminar | user | platform |\n")
        .append("|---:|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < m.incidents.size(); k++) {
      JsonNode i = m.incidents.get(k);
      md.append("| ").append(k + 1).append(" | ").append(esc(m, ReportModel.minute(ReportModel.text(i, "first_seen"))))
          .append(" | ").append(esc(m, ReportModel.text(i, "severity"))).append(" | ").append(code(m, ReportModel.text(i, "symptom")))
          .append(" | ").append(code(m, ReportModel.text(i, "cause"))).append(" | ").append(code(m, ReportModel.text(i, "seminar_id")))
          .append(" | ").append(code(m, ReportModel.text(i, "user_id"))).append(" | ").append(esc(m, ReportModel.text(i, "platform")))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void incidents(StringBuilder md, ReportModel m) {
    if (m.incidents.isEmpty()) {
      return;
    }
    md.append("## Incidents\n\n");
    for (int k = 0; k < m.incidents.size(); k++) {
      JsonNode i = m.incidents.get(k);
      String first = ReportModel.text(i, "first_seen");
      md.append("### #").append(k + 1).append(" · ").append(esc(m, ReportModel.text(i, "severity")).toUpperCase(Locale.ROOT))
          .append(" · ").append(esc(m, ReportModel.text(i, "title"))).append(" — ").append(code(m, ReportModel.text(i, "cause")))
          .append("\n\n").append(paragraph(m, ReportModel.text(i, "summary"))).append("\n\n");
      md.append("- seminar ").append(code(m, ReportModel.text(i, "seminar_id"))).append(", session ")
          .append(code(m, ReportModel.text(i, "session_id"))).append(", user ").append(code(m, ReportModel.text(i, "user_id")))
          .append(", platform ").append(esc(m, ReportModel.text(i, "platform"))).append(", app ")
          .append(esc(m, ReportModel.text(i, "app_version"))).append('\n');
      md.append("- seen ").append(esc(m, first)).append(" → ").append(esc(m, ReportModel.text(i, "last_seen"))).append(" (")
          .append(ReportModel.duration(i)).append(")\n");
      md.append("- symptom ").append(code(m, ReportModel.text(i, "symptom"))).append(", incident ")
          .append(code(m, ReportModel.text(i, "incident_id"))).append("\n\n");
      md.append("**Resolution.** ").append(esc(m, ReportModel.text(i, "resolution"))).append("\n\n");
      List<Step> steps = m.checklistSteps(i);
      if (!steps.isEmpty()) {
        md.append("**Support checklist**\n\n");
        for (Step s : steps) {
          md.append("- **Step ").append(s.number).append(".** ").append(esc(m, s.text)).append('\n');
        }
        md.append('\n');
      }
      if (i.path("checks").size() > 0) {
        md.append("**Checked**\n\n");
        for (JsonNode c : i.path("checks")) {
          md.append("- ").append(esc(m, c.asText())).append('\n');
        }
        md.append('\n');
      }
      EvidenceSlice ev = ReportModel.evidence(i);
      int all = ev.head.size() + ev.tail.size() + ev.hidden;
      md.append("**Evidence** (").append(all).append(all == 1 ? " event" : " events").append(")\n\n")
          .append("| time (UTC) | source | event | detail |\n|---|---|---|---|\n");
      evidenceRows(md, m, ev.head, first);
      if (ev.hidden > 0) {
        md.append("| … | | | *+").append(ev.hidden).append(" more in incidents.jsonl* |\n");
      }
      evidenceRows(md, m, ev.tail, first);
      if (all == 0) {
        md.append("| | | | no evidence recorded |\n");
      }
      md.append('\n');
    }
  }

  private static void evidenceRows(StringBuilder md, ReportModel m, List<JsonNode> rows, String firstSeen) {
    for (JsonNode e : rows) {
      md.append("| ").append(esc(m, ReportModel.evidenceTime(ReportModel.text(e, "timestamp"), firstSeen))).append(" | ")
          .append(esc(m, ReportModel.text(e, "source"))).append(" | ").append(esc(m, ReportModel.text(e, "event")))
          .append(" | ").append(esc(m, ReportModel.text(e, "detail"))).append(" |\n");
    }
  }

  private static void quality(StringBuilder md, ReportModel m) {
    md.append("## Data quality\n\n");
    if (!m.accountingBalanced) {
      md.append("**The accounting does not balance** (read ≠ dead-lettered + duplicates + filtered + used): please report this run.\n\n");
    }
    md.append("| source | read | dead-lettered | duplicates | filtered | used | filtered because |\n")
        .append("|---|---:|---:|---:|---:|---:|---|\n");
    for (SourceRow s : m.sources) {
      md.append("| ").append(esc(m, s.name)).append(s.balanced() ? "" : " (unbalanced)").append(" | ").append(s.read).append(" | ")
          .append(s.deadLettered).append(" | ").append(s.duplicates).append(" | ").append(s.filtered).append(" | ")
          .append(s.used).append(" | ");
      for (int k = 0; k < s.filteredByReason.size(); k++) {
        Count c = s.filteredByReason.get(k);
        md.append(k == 0 ? "" : ", ").append(esc(m, c.name)).append(' ').append(c.count);
      }
      md.append(" |\n");
    }
    md.append("\n### Unreadable records by reason\n\n");
    if (m.deadLetters.isEmpty()) {
      md.append("None.\n\n");
    } else {
      md.append("| source | reason | records |\n|---|---|---:|\n");
      m.deadLetters.forEach((src, reasons) -> reasons.forEach((reason, n) ->
          md.append("| ").append(esc(m, src)).append(" | ").append(esc(m, reason)).append(" | ").append(n).append(" |\n")));
      md.append("\nEach record, with its file and line, is in dead_letter.jsonl.\n\n");
    }
    md.append("### Pending absences\n\n");
    if (m.pending.isEmpty()) {
      md.append("None: every absence could be concluded inside the data window.\n\n");
    } else {
      md.append("Not concluded: the wait for the missing event ends after the data window. Tomorrow's run decides them.\n\n")
          .append("| symptom | seminar | session | user | since | wait until | reason |\n|---|---|---|---|---|---|---|\n");
      for (JsonNode p : m.pending) {
        md.append("| ").append(code(m, ReportModel.text(p, "symptom"))).append(" | ").append(code(m, ReportModel.text(p, "seminar_id")))
            .append(" | ").append(code(m, ReportModel.text(p, "session_id"))).append(" | ").append(code(m, ReportModel.text(p, "user_id")))
            .append(" | ").append(esc(m, ReportModel.minute(ReportModel.text(p, "since")))).append(" | ")
            .append(esc(m, ReportModel.minute(ReportModel.text(p, "wait_until")))).append(" | ")
            .append(esc(m, ReportModel.text(p, "reason"))).append(" |\n");
      }
      md.append('\n');
    }
    md.append("### Unattributed events\n\n");
    if (m.unattributed.isEmpty()) {
      md.append("None.\n");
    } else {
      md.append("Events that could not be tied to a seminar or session.\n\n| source | events |\n|---|---:|\n");
      for (Count c : m.unattributed) {
        md.append("| ").append(esc(m, c.name)).append(" | ").append(c.count).append(" |\n");
      }
    }
  }

  /** Escaped text that starts a line: a leading #, -, +, =, ~ or "1." must not turn it into a heading or list. */
  static String paragraph(ReportModel m, String raw) {
    String s = esc(m, raw);
    int digits = 0;
    while (digits < s.length() && Character.isDigit(s.charAt(digits))) {
      digits++;
    }
    if (digits > 0 && digits < s.length() && (s.charAt(digits) == '.' || s.charAt(digits) == ')')) {
      return s.substring(0, digits) + "\\" + s.substring(digits);
    }
    return !s.isEmpty() && "#-+=~_".indexOf(s.charAt(0)) >= 0 ? "\\" + s : s;
  }

  /** An identifier as a code span when it is plain; anything else is escaped text (a backtick would end the span). */
  static String code(ReportModel m, String raw) {
    String s = m.redact(raw);
    return PLAIN_ID.matcher(s).matches() ? "`" + s + "`" : inert(s);
  }

  /**
   * Redacts, then makes text inert in Markdown: no raw HTML (angle brackets become entities), no
   * table breaks (pipes escaped, newlines flattened), no links, code spans or emphasis from the data.
   */
  static String escape(String raw) {
    return inert(Redactor.redact(raw));
  }

  /** {@link #escape} with this report's memoized redaction. */
  private static String esc(ReportModel m, String raw) {
    return inert(m.redact(raw));
  }

  /** The escaping of {@link #escape}, on text that is already redacted. */
  private static String inert(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '\\':
        case '|':
        case '`':
        case '*':
        case '[':
        case ']':
          b.append('\\').append(c);
          break;
        case '\n':
        case '\r':
        case '\t':
          b.append(' ');
          break;
        default:
          b.append(c < 0x20 || c == 0x7f ? '\ufffd' : c);
      }
    }
    return b.toString();
  }

  private static String orNone(@Nullable String s) {
    return s == null ? ReportModel.NONE : s;
  }
}
