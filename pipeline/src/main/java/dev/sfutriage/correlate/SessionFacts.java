package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.rules.Match;
import dev.sfutriage.rules.RuleSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the rules need to know about one session (or a seminar's session-less events), in bounded
 * memory however large the session: for each session predicate of the rule set, how many events
 * matched, by whom (a few users), when (the earliest times) and a few sample events for evidence.
 * A 100 000-participant session costs the same few kilobytes as a small one.
 */
public final class SessionFacts implements Serializable {
  static final int MAX_USERS = 8;
  static final int MAX_TIMES = 64;
  static final int MAX_SAMPLES = 5;
  private static final Comparator<Event> BY_TIME =
      Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.location);

  public final SessionInterval interval = new SessionInterval();
  public final Stats[] stats;

  SessionFacts(int predicates) {
    stats = new Stats[predicates];
    for (int i = 0; i < predicates; i++) {
      stats[i] = new Stats();
    }
  }

  public String seminarId() {
    return interval.seminarId;
  }

  public @Nullable String sessionId() {
    return interval.sessionId;
  }

  public Stats stats(Match m) {
    return stats[m.sessionIndex()];
  }

  /** Per-predicate counts. */
  public static final class Stats implements Serializable {
    public long count;
    /** Matches per user, for up to {@link #MAX_USERS} users; {@link #moreUsers} when there were more. */
    public final Map<String, Long> users = new TreeMap<>();
    public boolean moreUsers;
    /** The earliest match times, sorted; all of them when {@code count <= MAX_TIMES}. */
    public final List<Long> times = new ArrayList<>();
    public final List<Event> samples = new ArrayList<>();

    void add(Event e) {
      count++;
      if (e.userId != null) {
        if (users.containsKey(e.userId) || users.size() < MAX_USERS) {
          users.merge(e.userId, 1L, Long::sum);
        } else {
          moreUsers = true;
        }
      }
      insertTime(e.timeMicros);
      samples.add(e);
      trimSamples();
    }

    void merge(Stats o) {
      count += o.count;
      o.users.forEach((u, n) -> {
        if (users.containsKey(u) || users.size() < MAX_USERS) {
          users.merge(u, n, Long::sum);
        } else {
          moreUsers = true;
        }
      });
      moreUsers |= o.moreUsers;
      for (Long t : o.times) {
        insertTime(t);
      }
      samples.addAll(o.samples);
      trimSamples();
    }

    /** Matches by users other than {@code self}; exact unless more than MAX_USERS users matched. */
    public long countOthers(@Nullable String self) {
      long mine = self == null ? 0 : users.getOrDefault(self, 0L);
      long others = count - mine;
      boolean anyOther = moreUsers || users.keySet().stream().anyMatch(u -> !u.equals(self));
      return anyOther ? others : 0;
    }

    /** Whether a match happened in [from, to]; exact while count <= MAX_TIMES, else conservative. */
    public boolean anyBetween(long from, long to) {
      for (Long t : times) {
        if (t >= from && t <= to) {
          return true;
        }
      }
      return count > times.size() && !times.isEmpty() && times.get(times.size() - 1) <= to;
    }

    private void insertTime(long t) {
      int i = java.util.Collections.binarySearch(times, t);
      times.add(i < 0 ? -i - 1 : i, t);
      if (times.size() > MAX_TIMES) {
        times.remove(times.size() - 1);
      }
    }

    private void trimSamples() {
      if (samples.size() > MAX_SAMPLES) {
        samples.sort(BY_TIME);
        samples.subList(MAX_SAMPLES, samples.size()).clear();
      }
    }
  }

  /** Builds facts per session key from the (attributed) events of that session. */
  public static final class Fn extends Combine.CombineFn<Event, SessionFacts, SessionFacts> {
    private final RuleSet rules;

    public Fn(RuleSet rules) {
      this.rules = rules;
    }

    @Override
    public SessionFacts createAccumulator() {
      return new SessionFacts(rules.sessionMatches.size());
    }

    @Override
    public SessionFacts addInput(SessionFacts acc, Event e) {
      acc.interval.add(e, rules.sessionStart, rules.sessionEnd);
      List<Match> matches = rules.sessionMatches;
      for (int i = 0; i < matches.size(); i++) {
        if (matches.get(i).test(e)) {
          acc.stats[i].add(e);
        }
      }
      return acc;
    }

    @Override
    public SessionFacts mergeAccumulators(Iterable<SessionFacts> accs) {
      SessionFacts out = createAccumulator();
      for (SessionFacts a : accs) {
        out.interval.merge(a.interval);
        for (int i = 0; i < out.stats.length; i++) {
          out.stats[i].merge(a.stats[i]);
        }
      }
      return out;
    }

    @Override
    public SessionFacts extractOutput(SessionFacts acc) {
      for (Stats s : acc.stats) {
        s.samples.sort(BY_TIME);
      }
      return acc;
    }
  }
}
