package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.util.InMemory;
import dev.sfutriage.util.OnePassJoin;
import dev.sfutriage.util.Parallel;
import dev.sfutriage.util.SideInputIndex;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Puts every event where it belongs (data-contract §7): a global event known only by a webhook
 * {@code job_id} gets its job's seminar and session from the job table; a crash without seminar
 * gets the seminar its user was in at the time; an event without session joins the session of its
 * seminar whose interval (± grace) contains it. Metric samples are left as they are (global).
 */
public final class Correlate extends PTransform<PCollection<Event>, PCollection<Event>> {
  private final RuleSet rules;

  public Correlate(RuleSet rules) {
    this.rules = rules;
  }

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    Coder<Event> coder = events.getCoder();
    PCollection<Event> byJob = attributeByJob(events, coder);
    PCollection<Event> byUser = attributeByUser(byJob, coder);
    return attributeSessions(byUser, coder);
  }

  /**
   * Worker retries and failures logged with only a job id take the job's seminar and session. The
   * job table is small (one row per webhook delivery), so it is a side input: no shuffle of events.
   */
  private PCollection<Event> attributeByJob(PCollection<Event> events, Coder<Event> coder) {
    PCollectionView<Map<String, Iterable<String>>> jobs = events
        .apply("JobsWithSeminar", Filter.by(Correlate::isJobWithSeminar))
        .apply("KeyJobs", ParDo.of(new KeyJobFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("JobView", View.asMultimap());
    return events
        .apply("FromJob", ParDo.of(new FromJobFn(jobs)).withSideInputs(jobs))
        .setCoder(coder);
  }

  /** A webhook job row that knows its seminar: the job table's side of the attribution. */
  static boolean isJobWithSeminar(Event e) {
    return Sources.WEBHOOK_JOBS.equals(e.source) && e.seminarId != null && (e.attr("job_id") != null || e.attr("egress_id") != null);
  }

  /**
   * The same attribution as {@link #expand}, on events held in memory (the in-process engine): the
   * same per-event functions and combiners, so the two engines cannot drift apart; the per-event
   * steps on one thread per core, the events kept in their order.
   */
  public static List<Event> inProcess(List<Event> events, RuleSet rules) {
    return inProcess(events, rules, Parallel.cores());
  }

  /** {@link #inProcess(List, RuleSet)} on {@code threads} threads (1: in this thread). */
  public static List<Event> inProcess(List<Event> events, RuleSet rules, int threads) {
    Map<String, List<String>> jobs = new HashMap<>();
    for (Event e : InMemory.filter(events, Correlate::isJobWithSeminar)) {
      for (KV<String, String> kv : jobKeys(e)) {
        jobs.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
      }
    }
    List<Event> byJob = Parallel.mapEach(events, threads, e -> fromJob(e, jobs::get));
    Set<String> users = new HashSet<>(InMemory.map(InMemory.filter(byJob, Correlate::needsUser), e -> e.userId));
    Map<String, UserPresence> presence = InMemory.combinePerKey(InMemory.filter(byJob, e -> isPresence(e, users)),
        e -> e.userId, new UserPresence.Fn());
    List<Event> byUser = Parallel.mapEach(byJob, threads,
        e -> needsUser(e) ? fromUser(e, presence.get(e.userId), rules.userAttributionWindowMicros) : e);
    Map<String, SessionInterval> intervals = InMemory.combinePerKey(InMemory.filter(byUser, Correlate::hasSession),
        e -> SessionKey.of(e.seminarId, e.sessionId), new SessionInterval.Fn(rules.sessionStart, rules.sessionEnd));
    Map<String, List<SessionInterval>> bySeminar = InMemory.group(intervals.values(), i -> i.seminarId);
    return Parallel.mapEach(byUser, threads, e -> attributeSession(e, bySeminar.get(e.seminarId), rules.sessionGraceMicros));
  }

  /**
   * A backend event that lacks its seminar and names a job, or lacks its session and names an
   * egress (the worker's recording_finished audit: its egress id is on the session's egress jobs).
   */
  private static boolean needsJob(Event e) {
    if (Sources.WEBHOOK_JOBS.equals(e.source)) {
      return false;
    }
    return (e.seminarId == null && e.attr("job_id") != null) || (e.sessionId == null && e.attr("egress_id") != null);
  }

  /**
   * Client events without a seminar (crashes without custom keys) join the seminar their user was in.
   * Such events are few, so only their users' presence is computed and joined.
   */
  private PCollection<Event> attributeByUser(PCollection<Event> events, Coder<Event> coder) {
    PCollection<Event> needing = events.apply("NeedUser", Filter.by(Correlate::needsUser));
    PCollection<Event> rest = events.apply("HaveUserSeminar", Filter.by((Event e) -> !needsUser(e)));
    PCollectionView<List<String>> users = needing
        .apply("Users", MapElements.into(TypeDescriptors.strings()).via((Event e) -> e.userId))
        .apply("UserView", View.asList());
    PCollection<KV<String, UserPresence>> presence = events
        .apply("Present", ParDo.of(new PresentFn(users)).withSideInputs(users))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("Presence", Combine.perKey(new UserPresence.Fn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), UserPresence.PresenceCoder.of()));
    PCollection<Event> joined = needing
        .apply("KeyByUser", WithKeys.of((Event e) -> e.userId).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("JoinUsers", OnePassJoin.with(presence))
        .apply("FromUser", ParDo.of(new FromUserFn(rules.userAttributionWindowMicros)))
        .setCoder(coder);
    return PCollectionList.of(rest).and(joined).apply("AfterUsers", Flatten.pCollections());
  }

  private static boolean needsUser(Event e) {
    return e.seminarId == null && e.userId != null && Sources.isClient(e.source);
  }

  /** Events without session join the session of their seminar that contains them (± grace). */
  private PCollection<Event> attributeSessions(PCollection<Event> events, Coder<Event> coder) {
    PCollectionView<Map<String, Iterable<SessionInterval>>> intervals = events
        .apply("WithSession", Filter.by(Correlate::hasSession))
        .apply("KeySession", WithKeys.of((Event e) -> SessionKey.of(e.seminarId, e.sessionId)).withKeyType(TypeDescriptors.strings()))
        .apply("Intervals", Combine.perKey(new SessionInterval.Fn(rules.sessionStart, rules.sessionEnd)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SessionInterval.IntervalCoder.of()))
        .apply("BySeminar", ParDo.of(new BySeminarFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SessionInterval.IntervalCoder.of()))
        .apply("IntervalView", View.asMultimap());
    return events
        .apply("AttributeSession", ParDo.of(new AttributeSessionFn(intervals, rules.sessionGraceMicros)).withSideInputs(intervals))
        .setCoder(coder);
  }

  private static boolean hasSession(Event e) {
    return e.seminarId != null && e.sessionId != null;
  }

  /** A job row's keys: its job id, and its egress id (for the worker's recording audit). */
  static List<KV<String, String>> jobKeys(Event e) {
    List<KV<String, String>> out = new ArrayList<>(2);
    if (e.attr("job_id") != null) {
      out.add(KV.of(e.attr("job_id"), SessionKey.of(e.seminarId, e.sessionId)));
    }
    if (e.attr("egress_id") != null && e.sessionId != null) {
      out.add(KV.of("egress:" + e.attr("egress_id"), SessionKey.of(e.seminarId, e.sessionId)));
    }
    return out;
  }

  static final class KeyJobFn extends DoFn<Event, KV<String, String>> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<String, String>> out) {
      jobKeys(e).forEach(out::output);
    }
  }

  /** Gives a seminar-less event with a job id its job's seminar and session; the rest as they are. */
  static Event fromJob(Event e, java.util.function.Function<String, @Nullable Iterable<String>> byId) {
    if (!needsJob(e)) {
      return e;
    }
    String job = e.seminarId == null && e.attr("job_id") != null ? FromJobFn.smallest(byId.apply(e.attr("job_id"))) : null;
    String by = "job_id";
    if (job == null && e.attr("egress_id") != null) {
      job = FromJobFn.smallest(byId.apply("egress:" + e.attr("egress_id")));
      by = "egress_id";
      if (job != null && e.seminarId != null && !e.seminarId.equals(SessionKey.first(job))) {
        job = null; // an egress of another seminar: leave the event as it is
      }
    }
    return job == null ? e : e.attributed(SessionKey.first(job), SessionKey.second(job), "attributed_by", by);
  }

  /** Gives a seminar-less event with a job id its job's seminar and session; passes the rest on. */
  static final class FromJobFn extends DoFn<Event, Event> {
    private final PCollectionView<Map<String, Iterable<String>>> jobs;

    FromJobFn(PCollectionView<Map<String, Iterable<String>>> jobs) {
      this.jobs = jobs;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<Event> out, ProcessContext c) {
      out.output(needsJob(e) ? fromJob(e, c.sideInput(jobs)::get) : e);
    }

    /** One row per id after dedupe; the smallest when not, so the choice is stable. */
    static @Nullable String smallest(@Nullable Iterable<String> rows) {
      String job = null;
      for (String j : rows == null ? List.<String>of() : rows) {
        job = job == null || j.compareTo(job) < 0 ? j : job;
      }
      return job;
    }
  }

  /** The attributed events of the users that some seminar-less client event needs, keyed by user. */
  static final class PresentFn extends DoFn<Event, KV<String, Event>> {
    private final PCollectionView<List<String>> users;
    private final SideInputIndex<List<String>, Set<String>> userSet = new SideInputIndex<>(HashSet::new);

    PresentFn(PCollectionView<List<String>> users) {
      this.users = users;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<String, Event>> out, ProcessContext c) {
      if (isPresence(e, userSet.of(c.sideInput(users)))) {
        out.output(KV.of(e.userId, e));
      }
    }
  }

  /** An attributed event of a user that some seminar-less client event needs. */
  private static boolean isPresence(Event e, Set<String> users) {
    return e.seminarId != null && e.userId != null && users.contains(e.userId);
  }

  /** A seminar-less client event with the seminar its user was in at the time, if any. */
  static Event fromUser(Event e, @Nullable UserPresence presence, long window) {
    String seminar = presence == null ? null : presence.seminarAt(e.timeMicros, window);
    return seminar == null ? e : e.attributed(seminar, e.sessionId, "attributed_by", "user_and_time");
  }

  /** A user's seminar-less events with the seminar they were in (the group read once: a user has few such events). */
  static final class FromUserFn extends DoFn<KV<String, Iterable<RawUnionValue>>, Event> {
    private final long window;

    FromUserFn(long window) {
      this.window = window;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<RawUnionValue>> kv, OutputReceiver<Event> out) {
      OnePassJoin.Sides<Event, UserPresence> sides = OnePassJoin.split(kv.getValue());
      UserPresence presence = sides.right().isEmpty() ? null : sides.right().get(0);
      for (Event e : sides.left()) {
        out.output(fromUser(e, presence, window));
      }
    }
  }

  static final class BySeminarFn extends DoFn<KV<String, SessionInterval>, KV<String, SessionInterval>> {
    @ProcessElement
    public void process(@Element KV<String, SessionInterval> kv, OutputReceiver<KV<String, SessionInterval>> out) {
      out.output(KV.of(kv.getValue().seminarId, kv.getValue()));
    }
  }

  static final class AttributeSessionFn extends DoFn<Event, Event> {
    private final PCollectionView<Map<String, Iterable<SessionInterval>>> intervals;
    private final long grace;

    AttributeSessionFn(PCollectionView<Map<String, Iterable<SessionInterval>>> intervals, long grace) {
      this.intervals = intervals;
      this.grace = grace;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<Event> out, ProcessContext c) {
      out.output(e.seminarId == null || e.sessionId != null ? e : attributeSession(e, c.sideInput(intervals).get(e.seminarId), grace));
    }
  }

  /** An event without session in the session of its seminar that contains it (± grace); the rest as they are. */
  static Event attributeSession(Event e, @Nullable Iterable<SessionInterval> candidates, long grace) {
    if (e.seminarId == null || e.sessionId != null) {
      return e;
    }
    SessionInterval best = candidates == null ? null : closest(candidates, e.timeMicros, grace);
    return best == null ? e : e.attributed(e.seminarId, best.sessionId, "session_attributed", "by seminar and time");
  }

  /** The session containing t, else the nearest whose interval ± grace contains it (ties: earliest start). */
  private static @Nullable SessionInterval closest(Iterable<SessionInterval> candidates, long t, long grace) {
    List<SessionInterval> sorted = new ArrayList<>();
    candidates.forEach(sorted::add);
    sorted.sort((a, b) -> a.start() != b.start() ? Long.compare(a.start(), b.start()) : a.sessionId.compareTo(b.sessionId));
    SessionInterval best = null;
    long bestDistance = Long.MAX_VALUE;
    for (SessionInterval s : sorted) {
      long d = t < s.start() ? s.start() - t : t > s.end() ? t - s.end() : 0;
      if (d <= grace && d < bestDistance) {
        best = s;
        bestDistance = d;
      }
    }
    return best;
  }
}
