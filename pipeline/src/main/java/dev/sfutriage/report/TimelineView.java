package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.report.Templates.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * What timeline.md and timeline.html show ({@code templates/timeline.*.mustache}): the scope's
 * incidents and its merged, corrected-time events, each marked global or evidence. Strings from the
 * data are redacted here; escaping is the format's ({@link Templates}).
 */
final class TimelineView {
  final String title;
  final String scopeLabel;
  final List<Inc> incidents = new ArrayList<>();
  final List<Line> events = new ArrayList<>();
  final int globalCount;
  final int evidenceCount;

  TimelineView(List<JsonNode> events, List<JsonNode> incidents, String scopeLabel) {
    this.scopeLabel = Redactor.redact(scopeLabel);
    this.title = "Timeline \u2014 " + this.scopeLabel;
    incidents.forEach(i -> this.incidents.add(new Inc(i)));
    int global = 0;
    int evidence = 0;
    for (JsonNode e : events) {
      Line l = new Line(e);
      global += l.global ? 1 : 0;
      evidence += l.evidence ? 1 : 0;
      this.events.add(l);
    }
    this.globalCount = global;
    this.evidenceCount = evidence;
  }

  int eventCount() {
    return events.size();
  }

  boolean noIncidents() {
    return incidents.isEmpty();
  }

  static final class Inc {
    final String firstSeen;
    final Text symptom;
    final Text cause;
    final String summary;
    final Text incidentId;

    Inc(JsonNode i) {
      this.firstSeen = r(i, "first_seen");
      this.symptom = new Text(r(i, "symptom"));
      this.cause = new Text(r(i, "cause"));
      this.summary = r(i, "summary");
      this.incidentId = new Text(r(i, "incident_id"));
    }
  }

  static final class Line {
    final String time;
    final String deviceTime;
    final Text source;
    final Text event;
    final Text user;
    final Text session;
    final String detail;
    final boolean isLong;
    final String shortDetail;
    final boolean global;
    final boolean evidence;
    final String mark;
    final String rowClass;

    Line(JsonNode e) {
      this.time = r(e, "timestamp");
      this.deviceTime = r(e, "device_timestamp");
      this.source = new Text(r(e, "source"));
      this.event = new Text(r(e, "event"));
      this.user = new Text(r(e, "user_id"));
      this.session = new Text(r(e, "session_id"));
      this.detail = r(e, "detail");
      this.isLong = detail.length() > ReportView.DETAIL_SHOWN;
      this.shortDetail = isLong ? detail.substring(0, ReportView.DETAIL_SHOWN) + "\u2026" : detail;
      this.global = e.path("global").asBoolean(false);
      this.evidence = e.path("evidence_of").size() > 0;
      this.mark = global && evidence ? "global, evidence" : global ? "global" : evidence ? "evidence" : "";
      this.rowClass = (global ? "global" : "") + (global && evidence ? " " : "") + (evidence ? "evidence" : "");
    }
  }

  private static String r(JsonNode n, String field) {
    return Redactor.redact(JobOutputs.text(n, field));
  }
}
