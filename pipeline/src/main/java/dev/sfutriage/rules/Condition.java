package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cause's {@code when}: declarative tests over an episode's context, in three-valued logic
 * ({@link Truth}). {@link #test} adds the events that made it true to {@code evidence} and records
 * what it checked ({@link EvalContext#check}) so an incident shows its counter-evidence too.
 */
public abstract class Condition implements Serializable {
  public abstract Truth test(EvalContext ctx, List<Event> evidence);

  /** The widest ± span around a detecting event this condition looks at (for the episode's context). */
  long contextMicros(long participantWindow) {
    return 0;
  }

  /** Matches whose latest event before a trigger the condition needs, however long before. */
  void latestBefore(List<Match> out) {}

  /** The matches of the global conditions in this tree: the only way a rule looks at events without seminar. */
  void globalMatches(List<Match> out) {}

  /** The sources this condition's matches name (what it needs to be decided; a sourceless match names none). */
  void sources(java.util.Set<String> out) {}

  /**
   * The truth of a count over a source that may not have been read: exact when every source of
   * the match was read; otherwise only what more events could not change (an "at least" found, an
   * "at most" exceeded) stands, the rest is UNKNOWN.
   */
  static Truth counted(EvalContext ctx, Match match, Count count, long found) {
    boolean holds = count.test(found);
    List<String> missing = new ArrayList<>();
    for (String s : match.sources) {
      if (!ctx.available(s)) {
        missing.add(s);
      }
    }
    if (missing.isEmpty()) {
      return Truth.of(holds);
    }
    if (holds && count.increasing()) {
      return Truth.TRUE;
    }
    if (!holds && count.decreasing()) {
      return Truth.FALSE;
    }
    missing.forEach(ctx::missing);
    return Truth.UNKNOWN;
  }

  static String verdict(Truth t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  /** A condition made of others: its context span and latest-before needs are theirs. */
  abstract static class Compound extends Condition {
    final List<Condition> parts;

    Compound(List<Condition> parts) {
      this.parts = List.copyOf(parts);
    }

    @Override
    long contextMicros(long w) {
      return parts.stream().mapToLong(c -> c.contextMicros(w)).max().orElse(0);
    }

    @Override
    void globalMatches(List<Match> out) {
      parts.forEach(c -> c.globalMatches(out));
    }

    @Override
    void latestBefore(List<Match> out) {
      parts.forEach(c -> c.latestBefore(out));
    }

    @Override
    void sources(java.util.Set<String> out) {
      parts.forEach(c -> c.sources(out));
    }
  }

  /** Every one of them (Kleene and). */
  static final class All extends Compound {
    All(List<Condition> parts) {
      super(parts);
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      Truth t = Truth.TRUE;
      for (Condition c : parts) {
        t = t.and(c.test(ctx, found));
        if (t == Truth.FALSE) {
          return t;
        }
      }
      if (t == Truth.TRUE) {
        evidence.addAll(found);
      }
      return t;
    }
  }

  /** The first that holds (its evidence only); UNKNOWN when none holds and one is UNKNOWN. */
  static final class Any extends Compound {
    Any(List<Condition> parts) {
      super(parts);
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      Truth t = Truth.FALSE;
      for (Condition c : parts) {
        List<Event> found = new ArrayList<>();
        Truth r = c.test(ctx, found);
        if (r == Truth.TRUE) {
          evidence.addAll(found);
          return r;
        }
        t = t.or(r);
      }
      return t;
    }
  }

  static final class Not extends Condition {
    final Condition inner;

    Not(Condition inner) {
      this.inner = inner;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      return inner.test(ctx, new ArrayList<>()).not();
    }

    @Override
    long contextMicros(long w) {
      return inner.contextMicros(w);
    }

    @Override
    void globalMatches(List<Match> out) {
      inner.globalMatches(out);
    }

    @Override
    void latestBefore(List<Match> out) {
      inner.latestBefore(out);
    }

    @Override
    void sources(java.util.Set<String> out) {
      inner.sources(out);
    }
  }

  /** The detecting event has these fields. */
  static final class Trigger extends Condition {
    final Match match;

    Trigger(Match match) {
      this.match = match;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      for (Event t : ctx.triggers()) {
        if (match.test(t)) {
          evidence.add(t);
          return Truth.TRUE;
        }
      }
      return Truth.FALSE;
    }
  }

  /** The same user's events within ± {@code within} of the detecting event (before only, if asked). */
  static final class Related extends Condition {
    final Match match;
    final long withinMicros;
    final Count count;
    final boolean beforeOnly;

    Related(Match match, long withinMicros, Count count, boolean beforeOnly) {
      this.match = match;
      this.withinMicros = withinMicros;
      this.count = count;
      this.beforeOnly = beforeOnly;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      long within = withinMicros >= 0 ? withinMicros : ctx.participantWindowMicros();
      for (Event e : ctx.participantEvents()) {
        if (match.test(e) && nearTrigger(ctx.triggers(), e.timeMicros, within)) {
          found.add(e);
        }
      }
      Truth t = counted(ctx, match, count, found.size());
      if (t == Truth.TRUE) {
        evidence.addAll(found);
      }
      return t;
    }

    private boolean nearTrigger(List<Event> triggers, long t, long within) {
      for (Event trig : triggers) {
        long d = t - trig.timeMicros;
        if (d <= (beforeOnly ? 0 : within) && d >= -within) {
          return true;
        }
      }
      return false;
    }

    @Override
    long contextMicros(long w) {
      return withinMicros >= 0 ? withinMicros : w;
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.addAll(match.sources);
    }
  }

  /** The user's latest matching event before the detecting event was older than its own TTL field. */
  static final class Expired extends Condition {
    final Match match;
    final String ttlField;

    Expired(Match match, String ttlField) {
      this.match = match;
      this.ttlField = ttlField;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      boolean anyToken = false;
      for (Event trig : ctx.triggers()) {
        Event latest = null;
        for (Event e : ctx.participantEvents()) {
          if (e.timeMicros <= trig.timeMicros && match.test(e)) {
            latest = e;
          }
        }
        Double ttl = latest == null ? null : FieldPredicate.number(FieldPredicate.valueOf(latest, ttlField));
        if (ttl == null) {
          continue;
        }
        anyToken = true;
        long age = trig.timeMicros - latest.timeMicros;
        long ttlMicros = Math.round(ttl * 1e6);
        ctx.check(String.format(Locale.ROOT, "token issued %.0f s before the failure, TTL %.0f s: %s", age / 1e6,
            ttl, age > ttlMicros ? "expired" : "still valid"));
        if (age > ttlMicros) {
          evidence.add(latest);
          return Truth.TRUE;
        }
      }
      if (!anyToken) {
        for (String s : match.sources) {
          if (!ctx.available(s)) {
            ctx.missing(s);
            return Truth.UNKNOWN;
          }
        }
      }
      return Truth.FALSE;
    }

    @Override
    void latestBefore(List<Match> out) {
      out.add(match);
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.addAll(match.sources);
    }
  }

  /** Events of the incident's session (other_users: not this user's). */
  static final class Session extends Condition {
    final Match match;
    final Count count;
    final boolean otherUsers;

    Session(Match match, Count count, boolean otherUsers) {
      this.match = match;
      this.count = count;
      this.otherUsers = otherUsers;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      EvalContext.SessionCount n = ctx.sessionCount(match, otherUsers);
      Truth t = counted(ctx, match, count, n.count);
      String who = otherUsers
          ? (n.moreUsers ? "more than " : "") + n.users + " other user" + (n.users == 1 ? "" : "s") + " ("
              + n.count + " event" + (n.count == 1 ? "" : "s") + ")"
          : n.count + " event" + (n.count == 1 ? "" : "s");
      ctx.check("session: " + who + " with " + match.describe() + " [" + count + "]: " + verdict(t));
      if (t == Truth.TRUE) {
        evidence.addAll(n.samples);
      }
      return t;
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.addAll(match.sources);
    }
  }

  /** Events that belong to no seminar, during a window of the episode. */
  static final class Global extends Condition {
    final Match match;
    final String during;
    final Count count;

    Global(Match match, String during, Count count) {
      this.match = match;
      this.during = during;
      this.count = count;
    }

    @Override
    void globalMatches(List<Match> out) {
      out.add(match);
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      for (Event e : ctx.globalEvents(during)) {
        if (match.test(e)) {
          found.add(e);
        }
      }
      Truth t = counted(ctx, match, count, found.size());
      ctx.check("global during " + during + ": " + found.size() + " event" + (found.size() == 1 ? "" : "s") + " with "
          + match.describe() + " [" + count + "]: " + verdict(t));
      if (t == Truth.TRUE) {
        evidence.addAll(found.subList(0, Math.min(found.size(), 10)));
      }
      return t;
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.addAll(match.sources);
    }
  }

  /** A Prometheus series function compared with a value. */
  static final class Metric extends Condition {
    final String name;
    final String fn;
    final String during;
    final FieldPredicate compare;

    Metric(String name, String fn, String during, FieldPredicate compare) {
      this.name = name;
      this.fn = fn;
      this.during = during;
      this.compare = compare;
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      if (!ctx.available(dev.sfutriage.model.Sources.METRICS)) {
        ctx.missing(dev.sfutriage.model.Sources.METRICS);
        return Truth.UNKNOWN;
      }
      List<Event> found = new ArrayList<>();
      Double v = ctx.metric(name, fn, during, found);
      if (v == null) {
        ctx.check("metric " + name + ": no samples during " + during);
        return Truth.FALSE;
      }
      Event probe = Event.builder("metrics", name).num("value", v).build();
      Truth t = Truth.of(compare.test(probe));
      ctx.check(String.format(Locale.ROOT, "metric %s %s during %s = %s (%s): %s", name, fn, during,
          dev.sfutriage.util.Json.numberText(v, String.format(Locale.ROOT, "%.3f", v)), compare, verdict(t)));
      if (t == Truth.TRUE) {
        evidence.addAll(found);
      }
      return t;
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.add(dev.sfutriage.model.Sources.METRICS);
    }
  }

  /**
   * A cause's explicit {@code needs}: TRUE when every listed source gave records, else UNKNOWN
   * naming the missing ones. Joined to the cause's {@code when} with Kleene and, so a condition
   * already false still lets the next cause be tried.
   */
  static final class Needs extends Condition {
    final List<String> needed;

    Needs(List<String> needed) {
      this.needed = List.copyOf(needed);
    }

    @Override
    public Truth test(EvalContext ctx, List<Event> evidence) {
      Truth t = Truth.TRUE;
      for (String s : needed) {
        if (!ctx.available(s)) {
          ctx.missing(s);
          t = Truth.UNKNOWN;
        }
      }
      return t;
    }

    @Override
    void sources(java.util.Set<String> out) {
      out.addAll(needed);
    }
  }
}
