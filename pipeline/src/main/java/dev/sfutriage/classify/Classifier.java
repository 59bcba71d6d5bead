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
import dev.sfutriage.rules.Truth;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Numbers;
import dev.sfutriage.util.Times;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The generic rules engine. For one participant (all of a user's events in a seminar) or one
 * session (its bounded facts) it finds each symptom's episodes, lets a more specific symptom take
 * an episode another also describes ({@code supersedes}), decides each episode's cause with the
 * conditions bound to one trigger, and assembles the incident: summary, evidence, and the checks
 * that were answered. Knows no symptom by name; everything specific is in the rules file.
 */
public final class Classifier implements Serializable {
  static final Comparator<Event> ORDER =
      Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.source).thenComparing(e -> e.location);
  private static final int MAX_TRIGGERS = 30;
  private static final int MAX_EVIDENCE = 60;
  private static final int MAX_CONTEXT = 25;
  private static final int MAX_CHECKS = 12;

  private final RuleSet rules;

  public Classifier(RuleSet rules) {
    this.rules = rules;
  }

  /** Participant-scope symptoms for one (seminar, user); {@code events} in any order. */
  public List<Incident> classifyParticipant(String seminarId, String userId, List<Event> events,
      Function<@Nullable String, @Nullable SessionFacts> factsBySession, GlobalEvents globals, MetricsIndex metrics,
      DataWindow window, Set<String> available, List<PendingCase> pending) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(ORDER);
    List<Episode> episodes = new ArrayList<>();
    for (Symptom s : rules.symptoms) {
      if (s.scope == Symptom.Scope.PARTICIPANT) {
        episodes.addAll(participantEpisodes(s, sorted, window, seminarId, userId, pending));
      }
    }
    List<Incident> out = new ArrayList<>();
    for (Episode ep : withoutSuperseded(episodes)) {
      List<Event> shown = Episodes.around(sorted, ep.triggers, rules.participantWindowMicros, ep.symptom.waitMicros());
      String sessionId = sessionOf(ep.triggers, shown);
      SessionFacts facts = factsBySession.apply(sessionId);
      if (facts == null) {
        facts = SessionFacts.empty(rules, seminarId, sessionId);
      }
      List<Event> context = Episodes.around(sorted, ep.triggers, ep.symptom.contextMicros, ep.symptom.waitMicros());
      Episodes.addLatestBefore(sorted, ep.triggers, ep.symptom.latestBefore, context);
      SessionFacts f = facts;
      Function<List<Event>, IncidentContext> ctx = (bound) -> new IncidentContext(ep.symptom, bound, ep, context,
          userId, f, globals, metrics, rules.participantWindowMicros, available, new LinkedHashSet<>());
      List<List<Event>> bindings = new ArrayList<>();
      for (Event t : ep.triggers.subList(0, Math.min(ep.triggers.size(), MAX_TRIGGERS))) {
        bindings.add(List.of(t));
      }
      out.add(build(ep, decide(ep.symptom, bindings, ctx), seminarId, sessionId, userId, shown));
    }
    return out;
  }

  /** Session-scope symptoms for one session's facts: at most one incident per symptom and session. */
  public List<Incident> classifySession(SessionFacts facts, GlobalEvents globals, MetricsIndex metrics,
      DataWindow window, Set<String> available, List<PendingCase> pending) {
    List<Incident> out = new ArrayList<>();
    if (facts.sessionId() == null) {
      return out;
    }
    for (Symptom s : rules.symptoms) {
      if (s.scope != Symptom.Scope.SESSION) {
        continue;
      }
      Episode ep = s.detect.absence == null ? sessionBursts(s, facts) : sessionAbsence(s, facts, window, pending);
      if (ep == null) {
        continue;
      }
      Function<List<Event>, IncidentContext> ctx = (bound) -> new IncidentContext(s, bound, ep, List.of(), null,
          facts, globals, metrics, rules.participantWindowMicros, available, new LinkedHashSet<>());
      out.add(build(ep, decide(s, List.of(ep.triggers), ctx), facts.seminarId(), facts.sessionId(), null, List.of()));
    }
    return out;
  }

  // ---------------------------------------------------------------- detection: participant episodes

  private List<Episode> participantEpisodes(Symptom s, List<Event> sorted, DataWindow window, String seminarId,
      String userId, List<PendingCase> pending) {
    Detection d = s.detect;
    List<Episode> out = new ArrayList<>();
    if (d.absence == null) {
      List<Event> detecting = new ArrayList<>();
      for (int i = 0; i < sorted.size(); i++) {
        Detection.Detector det = d.detectorOf(sorted.get(i));
        if (det != null && !Episodes.excused(sorted, i, det)) {
          detecting.add(sorted.get(i));
        }
      }
      for (List<Event> chain : Episodes.chain(detecting, e -> e.timeMicros, d.episodeGapMicros, null)) {
        if (Episodes.meets(Episodes.times(chain), d.count, d.withinMicros)) {
          out.add(Episode.of(s, chain));
        }
      }
      return out;
    }
    Detection.Absence a = d.absence;
    List<Event> anchors = new ArrayList<>();
    List<Long> answers = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Event e = sorted.get(i);
      if (a.missing.test(e)) {
        answers.add(e.timeMicros);
      } else if (a.anchor.match.test(e) && !Episodes.excused(sorted, i, a.anchor)) {
        anchors.add(e);
      }
    }
    for (List<Event> chain : Episodes.chain(anchors, e -> e.timeMicros, d.episodeGapMicros, answers)) {
      long first = chain.get(0).timeMicros;
      long last = chain.get(chain.size() - 1).timeMicros;
      if (SessionFacts.anyIn(answers, first - a.toleranceBeforeMicros, last + a.waitMicros)
          || !Episodes.meets(Episodes.times(chain), d.count, -1)) {
        continue;
      }
      if (last + a.waitMicros > window.toMicros) {
        pending.add(pendingCase(s, seminarId, chain.get(chain.size() - 1).sessionId, userId, last, window));
      } else {
        out.add(Episode.of(s, chain));
      }
    }
    return out;
  }

  /**
   * Drops an episode when a symptom that {@code supersedes} its symptom has an episode of the same
   * user that overlaps it (± the participant window): one attempt, the most specific description.
   */
  private List<Episode> withoutSuperseded(List<Episode> episodes) {
    List<Episode> out = new ArrayList<>();
    for (Episode ep : episodes) {
      boolean superseded = false;
      for (Episode other : episodes) {
        if (other != ep && other.symptom.supersedes.contains(ep.symptom.id)
            && other.overlaps(ep, rules.participantWindowMicros)) {
          superseded = true;
          break;
        }
      }
      if (!superseded) {
        out.add(ep);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- detection: session episodes

  /** The session's bursts that meet the count; the incident spans the first to the last of them. */
  private @Nullable Episode sessionBursts(Symptom s, SessionFacts facts) {
    Detection d = s.detect;
    TreeSet<Long> all = new TreeSet<>();
    List<Event> samples = new ArrayList<>();
    for (Detection.Detector det : d.events) {
      SessionFacts.Stats st = facts.stats(det.match);
      all.addAll(st.times);
      samples.addAll(st.samples);
    }
    List<Long> times = new ArrayList<>(all);
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long count = 0;
    for (List<Long> burst : Episodes.chain(times, Long::longValue, d.episodeGapMicros, null)) {
      if (Episodes.meets(burst, d.count, d.withinMicros)) {
        first = Math.min(first, burst.get(0));
        last = Math.max(last, burst.get(burst.size() - 1));
        count += burst.size();
      }
    }
    if (count == 0) {
      return null;
    }
    List<Event> triggers = new ArrayList<>();
    samples.sort(ORDER);
    for (Event e : samples) {
      if (e.timeMicros >= first && e.timeMicros <= last && triggers.size() < MAX_TRIGGERS) {
        triggers.add(e);
      }
    }
    return new Episode(s, triggers, first, last, count);
  }

  /** The session's last anchor run with no answer from its first anchor (less the tolerance) to its wait's end. */
  private @Nullable Episode sessionAbsence(Symptom s, SessionFacts facts, DataWindow window, List<PendingCase> pending) {
    Detection.Absence a = s.detect.absence;
    SessionFacts.Stats anchors = facts.stats(a.anchor.match);
    SessionFacts.Stats answers = facts.stats(a.missing);
    Episode found = null;
    for (List<Long> run : Episodes.chain(anchors.times, Long::longValue, s.detect.episodeGapMicros, null)) {
      long first = run.get(0);
      long last = run.get(run.size() - 1);
      if (answers.anyBetween(first - a.toleranceBeforeMicros, last + a.waitMicros)
          || !Episodes.meets(run, s.detect.count, -1)) {
        continue;
      }
      if (last + a.waitMicros > window.toMicros) {
        pending.add(pendingCase(s, facts.seminarId(), facts.sessionId(), null, last, window));
        continue;
      }
      List<Event> triggers = new ArrayList<>();
      for (Event e : anchors.samples) {
        if (e.timeMicros >= first && e.timeMicros <= last) {
          triggers.add(e);
        }
      }
      found = new Episode(s, triggers, first, last, run.size());
    }
    return found;
  }

  private PendingCase pendingCase(Symptom s, String seminarId, @Nullable String sessionId, @Nullable String userId,
      long last, DataWindow window) {
    long until = last + s.waitMicros();
    return new PendingCase(s.id, seminarId, sessionId, userId, last, until,
        "waiting for " + s.detect.absence.missing.describe() + " until " + Times.iso(until)
            + ", after the data window ends at " + Times.iso(window.toMicros));
  }

  // ---------------------------------------------------------------- causes

  /** What was decided for an episode: the cause, its evidence, the bound trigger and the checks. */
  static final class Decision {
    final Cause cause;
    final boolean undetermined;
    final List<Event> evidence;
    final List<Event> bound;
    final List<String> checks;
    final Set<String> missing;

    Decision(Cause cause, boolean undetermined, List<Event> evidence, List<Event> bound, List<String> checks,
        Set<String> missing) {
      this.cause = cause;
      this.undetermined = undetermined;
      this.evidence = evidence;
      this.bound = bound;
      this.checks = checks;
      this.missing = missing;
    }
  }

  /**
   * First cause that holds wins. A participant cause holds when all its conditions are true for one
   * and the same trigger; a cause that is UNKNOWN for a trigger (and true for none) stops the
   * search: the episode's cause is undetermined, and the missing sources are named.
   */
  private Decision decide(Symptom s, List<List<Event>> bindings, Function<List<Event>, IncidentContext> ctxFor) {
    Set<String> checks = new LinkedHashSet<>();
    Set<String> missing = new TreeSet<>();
    for (Cause c : s.causes) {
      if (c.when == null) {
        List<Event> shown = show(c, bindings.get(0), ctxFor, checks);
        return new Decision(c, false, shown, bindings.get(0), cap(checks), missing);
      }
      boolean unknown = false;
      for (List<Event> bound : bindings) {
        IncidentContext ctx = ctxFor.apply(bound);
        List<Event> found = new ArrayList<>();
        Truth t = c.when.test(ctx, found);
        checks.addAll(ctx.checks);
        if (t == Truth.TRUE) {
          found.addAll(show(c, bound, ctxFor, checks));
          return new Decision(c, false, found, bound, cap(checks), missing);
        }
        if (t == Truth.UNKNOWN) {
          unknown = true;
          missing.addAll(ctx.missing);
        }
      }
      if (unknown) {
        return new Decision(s.fallback(), true, List.of(), bindings.get(0), cap(checks), missing);
      }
    }
    throw new IllegalStateException("symptom " + s.id + " has no cause without 'when'"); // the loader forbids it
  }

  private static List<Event> show(Cause c, List<Event> bound, Function<List<Event>, IncidentContext> ctxFor,
      Set<String> checks) {
    List<Event> out = new ArrayList<>();
    for (var cond : c.show) {
      IncidentContext ctx = ctxFor.apply(bound);
      cond.test(ctx, out);
      checks.addAll(ctx.checks);
    }
    return out;
  }

  private static List<String> cap(Set<String> checks) {
    List<String> out = new ArrayList<>(checks);
    return out.size() > MAX_CHECKS ? out.subList(0, MAX_CHECKS) : out;
  }

  // ---------------------------------------------------------------- the incident

  private Incident build(Episode ep, Decision d, String seminarId, @Nullable String sessionId,
      @Nullable String userId, List<Event> shown) {
    Symptom s = ep.symptom;
    Map<String, Evidence> evidence = new LinkedHashMap<>();
    List<Event> triggers = ep.triggers.size() > MAX_TRIGGERS ? ep.triggers.subList(0, MAX_TRIGGERS) : ep.triggers;
    int contextLeft = MAX_CONTEXT;
    for (List<Event> group : List.of(triggers, d.evidence, shown)) {
      for (Event e : group) {
        if (evidence.size() >= MAX_EVIDENCE || (group == shown && contextLeft-- <= 0)) {
          break;
        }
        evidence.putIfAbsent(e.source + "|" + e.location + "|" + e.name + "|" + e.timeMicros, EvidenceFormat.of(e));
      }
    }
    long first = ep.first;
    long last = ep.last;
    if (userId != null) { // the cause's own evidence of this user, next to the episode, widens its span
      for (Event e : d.evidence) {
        long pw = rules.participantWindowMicros;
        if (userId.equals(e.userId) && e.timeMicros >= ep.first - pw && e.timeMicros <= ep.until() + pw) {
          first = Math.min(first, e.timeMicros);
          last = Math.max(last, e.timeMicros);
        }
      }
    }
    List<Event> clientEvents = new ArrayList<>();
    for (List<Event> group : List.of(ep.triggers, shown)) {
      for (Event e : group) {
        if (Sources.isClient(e.source)) {
          clientEvents.add(e);
        }
      }
    }
    String platform = mostCommon(clientEvents, e -> e.platform);
    String appVersion = mostCommon(clientEvents, e -> e.attr("app_version"));

    Map<String, String> values = new HashMap<>();
    values.put("seminar_id", seminarId);
    values.put("session_id", sessionId);
    values.put("user_id", userId);
    values.put("platform", platform);
    values.put("count", Long.toString(ep.count));
    values.put("first_seen", Times.iso(first));
    values.put("last_seen", Times.iso(last));
    values.put("missing", String.join(", ", d.missing));
    List<Event> triggerFields = new ArrayList<>(d.bound);
    triggerFields.addAll(ep.triggers);
    putFields(values, "trigger.", triggerFields);
    putFields(values, "cause.", d.evidence);

    String scopeKey = s.scope == Symptom.Scope.PARTICIPANT ? "user:" + userId + "|" + ep.first : "session:" + sessionId;
    String id = Fingerprint.sha256(s.id + "|" + seminarId + "|" + scopeKey);
    String summary = EvidenceFormat.render(d.undetermined ? s.undetermined : d.cause.summary, values);
    return new Incident(id, s.id, d.cause.id, seminarId, sessionId, userId, platform, appVersion, first, last,
        d.cause.severity, s.title, summary, d.cause.resolution, s.checklist,
        new ArrayList<>(new TreeSet<>(evidence.values())), d.cause.shared && !d.undetermined, d.checks, null);
  }

  /** The session of the episode: its first trigger's, else that of the first of the user's events around it. */
  private static @Nullable String sessionOf(List<Event> triggers, List<Event> around) {
    for (Event e : triggers) {
      if (e.sessionId != null) {
        return e.sessionId;
      }
    }
    for (Event e : around) {
      if (e.sessionId != null) {
        return e.sessionId;
      }
    }
    return null;
  }

  private static void putFields(Map<String, String> values, String prefix, List<Event> events) {
    for (int i = events.size() - 1; i >= 0; i--) { // the first event wins: put it last
      Event e = events.get(i);
      e.attrs.forEach((k, v) -> values.put(prefix + k, v));
      e.nums.forEach((k, v) -> values.put(prefix + k, Numbers.text(v, "%.1f")));
    }
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
}
