package dev.sfutriage.classify;

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
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a cause's conditions see for one episode, bound to one trigger (participant scope) or to
 * all of the episode's detecting events (session scope). Records the checks it answered and the
 * sources whose absence left a condition undecided.
 */
final class IncidentContext implements EvalContext {
  private final Symptom symptom;
  private final List<Event> triggers;
  private final Episode episode;
  private final List<Event> participantEvents;
  private final @Nullable String userId;
  private final SessionFacts facts;
  private final GlobalEvents globals;
  private final MetricsIndex metrics;
  private final long participantWindow;
  private final Set<String> available;
  final Set<String> checks;
  final Set<String> missing = new TreeSet<>();

  IncidentContext(Symptom symptom, List<Event> triggers, Episode episode, List<Event> participantEvents,
      @Nullable String userId, SessionFacts facts, GlobalEvents globals, MetricsIndex metrics, long participantWindow,
      Set<String> available, Set<String> checks) {
    this.symptom = symptom;
    this.triggers = triggers;
    this.episode = episode;
    this.participantEvents = participantEvents;
    this.userId = userId;
    this.facts = facts;
    this.globals = globals;
    this.metrics = metrics;
    this.participantWindow = participantWindow;
    this.available = available;
    this.checks = checks;
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
  public boolean available(String source) {
    return available.contains(source);
  }

  @Override
  public SessionCount sessionCount(Match match, boolean otherUsers) {
    SessionFacts.Stats s = facts.stats(match);
    if (!otherUsers) {
      return new SessionCount(s.count, s.users.size(), s.moreUsers, s.samples);
    }
    List<Event> samples = new ArrayList<>();
    for (Event e : s.samples) {
      if (e.userId == null || !e.userId.equals(userId)) {
        samples.add(e);
      }
    }
    return new SessionCount(s.countOthers(userId), s.otherUsers(userId), s.moreUsers, samples);
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

  @Override
  public long participantWindowMicros() {
    return participantWindow;
  }

  @Override
  public void check(String line) {
    checks.add(line);
  }

  @Override
  public void missing(String source) {
    missing.add(source);
  }

  /**
   * [from, to] of a named window: session (its interval, or the episode's when the episode is in
   * no session), session_wait (the session plus the symptom's wait), wait (the episode's detecting
   * events to the end of the wait after them) and episode (± the participant window around them).
   */
  long[] window(String during) {
    long wait = symptom.waitMicros();
    boolean inSession = facts.sessionId() != null && facts.interval.firstMicros != Long.MAX_VALUE;
    switch (during) {
      case "session":
        if (inSession) {
          return new long[] {facts.interval.start(), facts.interval.end()};
        }
        break;
      case "session_wait":
        if (inSession) {
          return new long[] {facts.interval.start(), facts.interval.end() + wait};
        }
        break;
      case "wait":
        return new long[] {episode.first, episode.last + wait};
      default:
    }
    return new long[] {episode.first - participantWindow, episode.last + participantWindow + wait};
  }
}
