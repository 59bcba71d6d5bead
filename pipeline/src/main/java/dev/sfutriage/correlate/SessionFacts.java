package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.EventCoder;
import dev.sfutriage.rules.Match;
import dev.sfutriage.rules.RuleSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the rules need to know about one session (or a seminar's session-less events), in bounded
 * memory however large the session: for each session predicate of the rule set, how many events
 * matched, by whom (the users with the smallest ids, exactly, up to {@link #MAX_USERS}), when (the
 * earliest {@link #MAX_TIMES} times, exact below that) and the earliest sample events for evidence.
 * Everything kept is chosen by value, never by arrival order, so every runner builds the same facts.
 */
public final class SessionFacts implements Serializable {
  static final int MAX_USERS = 256;
  static final int MAX_TIMES = 4096;
  static final int MAX_SAMPLES = 64;
  private static final Comparator<Event> BY_TIME =
      Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.location);

  public final SessionInterval interval;
  public final Stats[] stats;

  SessionFacts(int predicates) {
    this(new SessionInterval(), predicates);
  }

  private SessionFacts(SessionInterval interval, int predicates) {
    this.interval = interval;
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

  /** Facts of a session nothing was seen of (a participant's episode outside any session). */
  public static SessionFacts empty(RuleSet rules, String seminarId, @Nullable String sessionId) {
    SessionFacts f = new SessionFacts(rules.sessionMatches.size());
    f.interval.seminarId = seminarId;
    f.interval.sessionId = sessionId;
    return f;
  }

  /** Whether a time of the sorted list lies in [from, to]. */
  public static boolean anyIn(List<Long> sorted, long from, long to) {
    int i = Collections.binarySearch(sorted, from);
    int at = i < 0 ? -i - 1 : i;
    return at < sorted.size() && sorted.get(at) <= to;
  }

  /** Per-predicate counts. */
  public static final class Stats implements Serializable {
    public long count;
    /** Matches per user for the {@link #MAX_USERS} smallest user ids; {@link #moreUsers} when there were more. */
    public final TreeMap<String, Long> users = new TreeMap<>();
    public boolean moreUsers;
    /** The earliest match times, sorted; all of them when {@code count <= MAX_TIMES}. */
    public final List<Long> times = new ArrayList<>();
    /** The earliest matching events (by time, then location), sorted after {@link Fn#extractOutput}. */
    public final List<Event> samples = new ArrayList<>();

    void add(Event e) {
      count++;
      if (e.userId != null) {
        addUser(e.userId, 1L);
      }
      insertTime(e.timeMicros);
      samples.add(e);
      if (samples.size() >= 2 * MAX_SAMPLES) {
        trimSamples();
      }
    }

    void merge(Stats o) {
      count += o.count;
      o.users.forEach(this::addUser);
      moreUsers |= o.moreUsers;
      for (Long t : o.times) {
        insertTime(t);
      }
      samples.addAll(o.samples);
      trimSamples();
    }

    private void addUser(String user, long n) {
      users.merge(user, n, Long::sum);
      if (users.size() > MAX_USERS) {
        users.remove(users.lastKey());
        moreUsers = true;
      }
    }

    /** Matches by users other than {@code self}; exact unless more than MAX_USERS users matched (then an upper bound). */
    public long countOthers(@Nullable String self) {
      long mine = self == null ? 0 : users.getOrDefault(self, 0L);
      boolean anyOther = moreUsers || users.keySet().stream().anyMatch(u -> !u.equals(self));
      return anyOther ? count - mine : 0;
    }

    /** Distinct users other than {@code self} (exact unless {@link #moreUsers}). */
    public long otherUsers(@Nullable String self) {
      return users.size() - (self != null && users.containsKey(self) ? 1 : 0);
    }

    /** Whether a match happened in [from, to]; exact while count <= MAX_TIMES, else conservative (true). */
    public boolean anyBetween(long from, long to) {
      return anyIn(times, from, to) || (count > times.size() && !times.isEmpty() && times.get(times.size() - 1) <= to);
    }

    private void insertTime(long t) {
      if (times.size() >= MAX_TIMES && t >= times.get(times.size() - 1)) {
        return;
      }
      int i = Collections.binarySearch(times, t);
      times.add(i < 0 ? -i - 1 : i, t);
      if (times.size() > MAX_TIMES) {
        times.remove(times.size() - 1);
      }
    }

    void trimSamples() {
      samples.sort(BY_TIME);
      if (samples.size() > MAX_SAMPLES) {
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
        s.trimSamples();
      }
      return acc;
    }

    @Override
    public Coder<SessionFacts> getAccumulatorCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return FactsCoder.of();
    }

    @Override
    public Coder<SessionFacts> getDefaultOutputCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return FactsCoder.of();
    }
  }

  /** The wire form: the interval, then per predicate its count, users, times and samples. */
  public static final class FactsCoder extends AtomicCoder<SessionFacts> {
    private static final FactsCoder INSTANCE = new FactsCoder();

    public static FactsCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SessionFacts f, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      SessionInterval.IntervalCoder.of().encode(f.interval, out);
      out.writeInt(f.stats.length);
      for (Stats s : f.stats) {
        out.writeLong(s.count);
        out.writeBoolean(s.moreUsers);
        out.writeInt(s.users.size());
        for (Map.Entry<String, Long> u : s.users.entrySet()) {
          out.writeUTF(u.getKey());
          out.writeLong(u.getValue());
        }
        out.writeInt(s.times.size());
        for (long t : s.times) {
          out.writeLong(t);
        }
        List<Event> samples = new ArrayList<>(s.samples);
        samples.sort(BY_TIME);
        out.writeInt(samples.size());
        for (Event e : samples) {
          EventCoder.of().encode(e, out);
        }
      }
      out.flush();
    }

    @Override
    public SessionFacts decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      SessionInterval interval = SessionInterval.IntervalCoder.of().decode(in);
      SessionFacts f = new SessionFacts(interval, in.readInt());
      for (Stats s : f.stats) {
        s.count = in.readLong();
        s.moreUsers = in.readBoolean();
        for (int n = in.readInt(); n > 0; n--) {
          s.users.put(in.readUTF(), in.readLong());
        }
        for (int n = in.readInt(); n > 0; n--) {
          s.times.add(in.readLong());
        }
        for (int n = in.readInt(); n > 0; n--) {
          s.samples.add(EventCoder.of().decode(in));
        }
      }
      return f;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
