package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A cause's {@code when}: declarative tests over the incident's context. {@link #test} adds the
 * events that made it true to {@code evidence} (nothing for absences and negations).
 */
public abstract class Condition implements Serializable {
  public abstract boolean test(EvalContext ctx, List<Event> evidence);

  /** Every one of them. */
  static final class All extends Condition {
    final List<Condition> parts;

    All(List<Condition> parts) {
      this.parts = List.copyOf(parts);
    }

    @Override
    public boolean test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      for (Condition c : parts) {
        if (!c.test(ctx, found)) {
          return false;
        }
      }
      evidence.addAll(found);
      return true;
    }
  }

  /** The first that holds (its evidence only). */
  static final class Any extends Condition {
    final List<Condition> parts;

    Any(List<Condition> parts) {
      this.parts = List.copyOf(parts);
    }

    @Override
    public boolean test(EvalContext ctx, List<Event> evidence) {
      for (Condition c : parts) {
        List<Event> found = new ArrayList<>();
        if (c.test(ctx, found)) {
          evidence.addAll(found);
          return true;
        }
      }
      return false;
    }
  }

  static final class Not extends Condition {
    final Condition inner;

    Not(Condition inner) {
      this.inner = inner;
    }

    @Override
    public boolean test(EvalContext ctx, List<Event> evidence) {
      return !inner.test(ctx, new ArrayList<>());
    }
  }

  /** A detecting event has these fields. */
  static final class Trigger extends Condition {
    final Match match;

    Trigger(Match match) {
      this.match = match;
    }

    @Override
    public boolean test(EvalContext ctx, List<Event> evidence) {
      for (Event t : ctx.triggers()) {
        if (match.test(t)) {
          evidence.add(t);
          return true;
        }
      }
      return false;
    }
  }

  /** The same user's events within ± {@code within} of a detecting event. */
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
    public boolean test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      long within = withinMicros >= 0 ? withinMicros : ctx.participantWindowMicros();
      for (Event e : ctx.participantEvents()) {
        if (match.test(e) && nearTrigger(ctx.triggers(), e.timeMicros, within)) {
          found.add(e);
        }
      }
      if (!count.test(found.size())) {
        return false;
      }
      evidence.addAll(found);
      return true;
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
  }

  /** The user's latest matching event before a detecting event was older than its own TTL field. */
  static final class Expired extends Condition {
    final Match match;
    final String ttlField;

    Expired(Match match, String ttlField) {
      this.match = match;
      this.ttlField = ttlField;
    }

    @Override
    public boolean test(EvalContext ctx, List<Event> evidence) {
      for (Event trig : ctx.triggers()) {
        Event latest = null;
        for (Event e : ctx.participantEvents()) {
          if (e.timeMicros <= trig.timeMicros && match.test(e)) {
            latest = e;
          }
        }
        Double ttl = latest == null ? null : FieldPredicate.number(FieldPredicate.valueOf(latest, ttlField));
        if (ttl != null && latest.timeMicros + Math.round(ttl * 1e6) < trig.timeMicros) {
          evidence.add(latest);
          return true;
        }
      }
      return false;
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
    public boolean test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      if (!count.test(ctx.sessionCount(match, otherUsers, found))) {
        return false;
      }
      evidence.addAll(found);
      return true;
    }
  }

  /** Events that belong to no seminar, during a window of the incident. */
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
    public boolean test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      for (Event e : ctx.globalEvents(during)) {
        if (match.test(e)) {
          found.add(e);
        }
      }
      if (!count.test(found.size())) {
        return false;
      }
      evidence.addAll(found.subList(0, Math.min(found.size(), 10)));
      return true;
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
    public boolean test(EvalContext ctx, List<Event> evidence) {
      List<Event> found = new ArrayList<>();
      Double v = ctx.metric(name, fn, during, found);
      if (v == null) {
        return false;
      }
      Event probe = Event.builder("metrics", name).num("value", v).build();
      if (!compare.test(probe)) {
        return false;
      }
      evidence.addAll(found);
      return true;
    }
  }
}
