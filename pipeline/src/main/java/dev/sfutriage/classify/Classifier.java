package dev.sfutriage.classify;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.correlate.GlobalEvents;
import dev.sfutriage.correlate.MetricsIndex;
import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Evidence;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.model.Sources;
import dev.sfutriage.rules.Cause;
import dev.sfutriage.rules.Detection;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.Symptom;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The generic rules engine: detects each symptom of the rule set in one participant's events or
 * one session's facts, picks the first matching cause, and assembles the incident with its
 * evidence. Knows no symptom by name; everything specific is in the rules file.
 */
public final class Classifier implements Serializable {
  static final Comparator<Event> ORDER =
      Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.source).thenComparing(e -> e.location);
  private static final int MAX_EVIDENCE = 60;
  private static final int MAX_CONTEXT = 25;

  private final RuleSet rules;

  public Classifier(RuleSet rules) {
    this.rules = rules;
  }

  /** Participant-scope symptoms for one (seminar, user); {@code events} in any order. */
  public List<Incident> classifyParticipant(String seminarId, String userId, List<Event> events,
      Function<String, SessionFacts> factsBySession, GlobalEvents globals, MetricsIndex metrics, DataWindow window,
      List<PendingCase> pending) {
    List<Event> sorted = IncidentContext.sorted(events);
    List<Incident> out = new ArrayList<>();
    for (Symptom s : rules.symptoms) {
      if (s.scope != Symptom.Scope.PARTICIPANT) {
        continue;
      }
      List<Event> triggers = participantTriggers(s, sorted, window, seminarId, userId, pending);
      if (triggers.isEmpty()) {
        continue;
      }
      String sessionId = firstSession(triggers);
      SessionFacts facts = factsBySession.apply(sessionId);
      IncidentContext ctx = new IncidentContext(s, triggers, sorted, userId, facts, globals, metrics,
          rules.participantWindowMicros);
      List<Event> context = contextEvents(sorted, triggers);
      out.add(build(s, ctx, seminarId, sessionId, userId, triggers, context, triggers.size()));
    }
    return out;
  }

  /** Session-scope symptoms for one session's facts. */
  public List<Incident> classifySession(SessionFacts facts, GlobalEvents globals, MetricsIndex metrics,
      DataWindow window, List<PendingCase> pending) {
    List<Incident> out = new ArrayList<>();
    if (facts.sessionId() == null) {
      return out;
    }
    for (Symptom s : rules.symptoms) {
      if (s.scope != Symptom.Scope.SESSION) {
        continue;
      }
      Detection d = s.detect;
      List<Event> triggers = new ArrayList<>();
      long count = 0;
      if (d.absence == null) {
        for (var m : d.events) {
          SessionFacts.Stats st = facts.stats(m);
          count += st.count;
          triggers.addAll(st.samples);
        }
        if (count < d.minCount) {
          continue;
        }
      } else {
        SessionFacts.Stats anchors = facts.stats(d.absence.anchor);
        if (anchors.times.isEmpty()) {
          continue;
        }
        long t = anchors.times.get(0);
        long until = t + d.absence.waitMicros;
        if (facts.stats(d.absence.missing).anyBetween(t - d.absence.toleranceBeforeMicros, until)) {
          continue;
        }
        if (until > window.toMicros) {
          pending.add(new PendingCase(s.id, facts.seminarId(), facts.sessionId(), null, t, until,
              "waiting for " + describe(d.absence.missing) + " until " + Times.iso(until)
                  + ", after the data window ends at " + Times.iso(window.toMicros)));
          continue;
        }
        triggers.addAll(anchors.samples.subList(0, Math.min(1, anchors.samples.size())));
        count = 1;
      }
      triggers = IncidentContext.sorted(triggers);
      IncidentContext ctx = new IncidentContext(s, triggers, List.of(), null, facts, globals, metrics,
          rules.participantWindowMicros);
      out.add(build(s, ctx, facts.seminarId(), facts.sessionId(), null, triggers, List.of(), count));
    }
    return out;
  }

  private List<Event> participantTriggers(Symptom s, List<Event> sorted, DataWindow window, String seminarId,
      String userId, List<PendingCase> pending) {
    Detection d = s.detect;
    List<Event> triggers = new ArrayList<>();
    if (d.absence == null) {
      for (Event e : sorted) {
        if (d.detects(e)) {
          triggers.add(e);
        }
      }
      return triggers.size() >= d.minCount ? triggers : List.of();
    }
    Event firstPending = null;
    for (Event anchor : sorted) {
      if (!d.absence.anchor.test(anchor)) {
        continue;
      }
      long from = anchor.timeMicros - d.absence.toleranceBeforeMicros;
      long until = anchor.timeMicros + d.absence.waitMicros;
      boolean answered = false;
      for (Event e : sorted) {
        if (e.timeMicros >= from && e.timeMicros <= until && d.absence.missing.test(e)) {
          answered = true;
          break;
        }
      }
      if (answered) {
        continue;
      }
      if (until > window.toMicros) {
        if (firstPending == null) {
          firstPending = anchor;
        }
      } else {
        triggers.add(anchor);
      }
    }
    if (triggers.isEmpty() && firstPending != null) {
      long until = firstPending.timeMicros + d.absence.waitMicros;
      pending.add(new PendingCase(s.id, seminarId, firstPending.sessionId, userId, firstPending.timeMicros, until,
          "waiting for " + describe(d.absence.missing) + " until " + Times.iso(until)
              + ", after the data window ends at " + Times.iso(window.toMicros)));
    }
    return triggers;
  }

  private Incident build(Symptom s, IncidentContext ctx, String seminarId, @Nullable String sessionId,
      @Nullable String userId, List<Event> triggers, List<Event> context, long count) {
    Cause chosen = null;
    List<Event> causeEvidence = new ArrayList<>();
    for (Cause c : s.causes) {
      List<Event> found = new ArrayList<>();
      if (c.when == null || c.when.test(ctx, found)) {
        chosen = c;
        causeEvidence = found;
        break;
      }
    }
    // The loader guarantees a last cause without `when`, so a cause is always chosen.
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    for (List<Event> group : List.of(triggers, causeEvidence, context)) {
      for (Event e : group) {
        if (evidence.size() < MAX_EVIDENCE) {
          evidence.putIfAbsent(e.source + "|" + e.location + "|" + e.name + "|" + e.timeMicros, EvidenceFormat.of(e));
        }
      }
    }
    List<Evidence> ordered = new ArrayList<>(new TreeSet<>(evidence.values()));
    long first = triggers.stream().mapToLong(e -> e.timeMicros).min().orElse(0);
    long last = triggers.stream().mapToLong(e -> e.timeMicros).max().orElse(first);
    List<Event> clientEvents = new ArrayList<>();
    for (Event e : triggers) {
      if (Sources.isClient(e.source)) {
        clientEvents.add(e);
      }
    }
    for (Event e : ctx.participantEvents()) {
      if (Sources.isClient(e.source)) {
        clientEvents.add(e);
      }
    }
    String platform = mostCommon(clientEvents, e -> e.platform);
    String appVersion = mostCommon(clientEvents, e -> e.attr("app_version"));

    Map<String, String> values = new HashMap<>();
    values.put("seminar_id", seminarId);
    values.put("session_id", sessionId);
    values.put("user_id", userId);
    values.put("platform", platform);
    values.put("count", Long.toString(count));
    values.put("first_seen", Times.iso(first));
    values.put("last_seen", Times.iso(last));
    putFields(values, "trigger.", triggers);
    putFields(values, "cause.", causeEvidence);

    String scopeKey = s.scope == Symptom.Scope.PARTICIPANT ? "user:" + userId : "session:" + sessionId;
    String id = Fingerprint.sha256(s.id + "|" + seminarId + "|" + scopeKey);
    return new Incident(id, s.id, chosen.id, seminarId, sessionId, userId, platform, appVersion, first, last,
        chosen.severity, s.title, EvidenceFormat.render(chosen.summary, values), chosen.resolution, s.checklist,
        ordered);
  }

  /** The user's events within the participant window of any trigger: what happened around it. */
  private List<Event> contextEvents(List<Event> sorted, List<Event> triggers) {
    List<Event> out = new ArrayList<>();
    for (Event e : sorted) {
      for (Event t : triggers) {
        if (Math.abs(e.timeMicros - t.timeMicros) <= rules.participantWindowMicros) {
          out.add(e);
          break;
        }
      }
      if (out.size() >= MAX_CONTEXT) {
        break;
      }
    }
    return out;
  }

  private static void putFields(Map<String, String> values, String prefix, List<Event> events) {
    for (int i = events.size() - 1; i >= 0; i--) { // the first event wins: put it last
      Event e = events.get(i);
      e.attrs.forEach((k, v) -> values.put(prefix + k, v));
      e.nums.forEach((k, v) -> values.put(prefix + k, Json.numberText(v, String.format("%.1f", v))));
    }
  }

  private static @Nullable String firstSession(List<Event> triggers) {
    for (Event e : triggers) {
      if (e.sessionId != null) {
        return e.sessionId;
      }
    }
    return null;
  }

  private static String mostCommon(List<Event> events, Function<Event, String> f) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Event e : events) {
      String v = f.apply(e);
      if (v != null) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    String best = null;
    int n = 0;
    for (Map.Entry<String, Integer> c : counts.entrySet()) {
      if (c.getValue() > n) {
        best = c.getKey();
        n = c.getValue();
      }
    }
    return best;
  }

  private static String describe(dev.sfutriage.rules.Match m) {
    return (m.events.isEmpty() ? "a matching event" : String.join("/", new TreeSet<>(m.events)))
        + (m.where.isEmpty() ? "" : " " + m.where);
  }
}
