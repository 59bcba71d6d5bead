package dev.sfutriage.classify;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.correlate.GlobalEvents;
import dev.sfutriage.correlate.MetricsIndex;
import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.rules.EvalContext;
import dev.sfutriage.rules.Match;
import dev.sfutriage.rules.Symptom;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The context of one candidate incident, as the rules' conditions see it. */
final class IncidentContext implements EvalContext {
  private final Symptom symptom;
  private final List<Event> triggers;
  private final List<Event> participantEvents;
  private final @Nullable String userId;
  private final @Nullable SessionFacts facts;
  private final GlobalEvents globals;
  private final MetricsIndex metrics;
  private final long participantWindow;

  IncidentContext(Symptom symptom, List<Event> triggers, List<Event> participantEvents, @Nullable String userId,
      @Nullable SessionFacts facts, GlobalEvents globals, MetricsIndex metrics, long participantWindow) {
    this.symptom = symptom;
    this.triggers = triggers;
    this.participantEvents = participantEvents;
    this.userId = userId;
    this.facts = facts;
    this.globals = globals;
    this.metrics = metrics;
    this.participantWindow = participantWindow;
  }

  @Override
  public List<Event> triggers() {
    return triggers;
  }

  @Override
  public List<Event> participantEvents() {
    return participantEvents;
  }

  @Override
  public @Nullable String userId() {
    return userId;
  }

  @Override
  public long participantWindowMicros() {
    return participantWindow;
  }

  @Override
  public long sessionCount(Match match, boolean otherUsers, List<Event> evidence) {
    if (facts == null) {
      return 0;
    }
    SessionFacts.Stats s = facts.stats(match);
    long n = otherUsers ? s.countOthers(userId) : s.count;
    if (n > 0) {
      for (Event e : s.samples) {
        if (!otherUsers || e.userId == null || !e.userId.equals(userId)) {
          evidence.add(e);
        }
      }
    }
    return n;
  }

  @Override
  public List<Event> globalEvents(String during) {
    long[] w = window(during);
    return globals.between(w[0], w[1]);
  }

  @Override
  public @Nullable Double metric(String name, String fn, String during, List<Event> evidence) {
    long[] w = window(during);
    MetricsIndex.Value v = metrics.compute(name, fn, w[0], w[1]);
    if (v == null) {
      return null;
    }
    evidence.add(Event.builder(Sources.METRICS, name).time(w[0]).attr("detail", v.description)
        .location("metrics:" + name).build());
    return v.value;
  }

  /** [from, to] for session (its interval), session_wait (plus the symptom's wait) and trigger (± window). */
  long[] window(String during) {
    if (facts != null && !during.equals("trigger")) {
      long end = facts.interval.end();
      return new long[] {facts.interval.start(), during.equals("session_wait") ? end + symptom.waitMicros() : end};
    }
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Event t : triggers) {
      lo = Math.min(lo, t.timeMicros);
      hi = Math.max(hi, t.timeMicros);
    }
    return new long[] {lo - participantWindow, hi + participantWindow + symptom.waitMicros()};
  }

  static List<Event> sorted(List<Event> events) {
    List<Event> out = new ArrayList<>(events);
    out.sort(Classifier.ORDER);
    return out;
  }
}
