package dev.sfutriage.classify;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.correlate.FactsToParticipants;
import dev.sfutriage.correlate.GlobalEvents;
import dev.sfutriage.correlate.MetricsIndex;
import dev.sfutriage.correlate.SessionFacts;
import dev.sfutriage.correlate.SessionKey;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.model.Sources;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.util.InMemory;
import dev.sfutriage.util.Parallel;
import dev.sfutriage.util.SchemaCoders;
import dev.sfutriage.util.SideInputIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Classifies the attributed events by the rules: participant-scope symptoms per (seminar, user)
 * group, session-scope symptoms per session's bounded facts. Outputs incidents and pending absences.
 */
public final class Classify extends PTransform<PCollection<Event>, PCollectionTuple> {
  public static final TupleTag<Incident> INCIDENTS = new TupleTag<Incident>("incidents") {};
  public static final TupleTag<PendingCase> PENDING = new TupleTag<PendingCase>("pending") {};
  public static final TupleTag<DataWindow> WINDOW = new TupleTag<DataWindow>("window") {};

  private final RuleSet rules;
  private final @Nullable DataWindow window;

  /** @param window the run's window, or null to take the span of the data */
  public Classify(RuleSet rules, @Nullable DataWindow window) {
    this.rules = rules;
    this.window = window;
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> events) {
    PCollection<Event> metricEvents = events.apply("Metrics", Filter.by((Event e) -> Sources.METRICS.equals(e.source)));
    PCollection<Event> other = events.apply("NotMetrics", Filter.by((Event e) -> !Sources.METRICS.equals(e.source)));

    // Side inputs as lists of events, indexed once per worker (SideIndex): a single combined record
    // of all of them exceeds a runner's record size on a busy day (Flink's sort buffer is 2 MB).
    PCollectionView<List<Event>> metrics = metricEvents.apply("MetricsView", View.asList());
    RuleSet r = rules;
    PCollectionView<List<Event>> globals = other
        .apply("Global", Filter.by((Event e) -> isGlobalForRules(e, r)))
        .apply("GlobalView", View.asList());
    PCollection<DataWindow> windowPc = window != null
        ? events.getPipeline().apply("GivenWindow", Create.of(window).withCoder(DataWindow.WindowCoder.of()))
        : other.apply("DataSpan", Combine.globally(new DataWindow.SpanFn())).setCoder(DataWindow.WindowCoder.of());
    PCollectionView<DataWindow> windowView = windowPc.apply("WindowView", View.asSingleton());

    PCollection<KV<String, SessionFacts>> facts = other
        .apply("InSeminar", Filter.by((Event e) -> e.seminarId != null))
        .apply("KeyBySession", WithKeys.of((Event e) -> SessionKey.of(e.seminarId, e.sessionId)).withKeyType(TypeDescriptors.strings()))
        .apply("SessionFacts", Combine.perKey(new SessionFacts.Fn(rules)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SessionFacts.FactsCoder.of()));
    // Which sources gave records: a condition about a source that gave none is UNKNOWN, not false.
    PCollectionView<List<String>> available = events
        .apply("Sources", MapElements.into(TypeDescriptors.strings()).via((Event e) -> e.source))
        .apply("DistinctSources", Distinct.create())
        .apply("SourcesView", View.asList());

    Classifier classifier = new Classifier(rules);
    PCollectionTuple byParticipant = other
        .apply("Participants", Filter.by((Event e) -> e.seminarId != null && e.userId != null))
        .apply("KeyByParticipant", WithKeys.of((Event e) -> SessionKey.participant(e.seminarId, e.userId)).withKeyType(TypeDescriptors.strings()))
        .apply("WithSessionFacts", new FactsToParticipants(facts))
        .apply("ClassifyParticipants", ParDo.of(new ParticipantFn(classifier,
                new SideIndex(globals, metrics, available, rules.metricsLookbackMicros), windowView))
            .withSideInputs(globals, metrics, available, windowView)
            .withOutputTags(INCIDENTS, TupleTagList.of(PENDING)));
    PCollectionTuple bySession = facts
        .apply("ClassifySessions", ParDo.of(new SessionFn(classifier,
                new SideIndex(globals, metrics, available, rules.metricsLookbackMicros), windowView))
            .withSideInputs(globals, metrics, available, windowView)
            .withOutputTags(INCIDENTS, TupleTagList.of(PENDING)));

    // Their schemas, not Java serialization (the registry's fallback for a Serializable output tag).
    Coder<Incident> incidentCoder = SchemaCoders.of(events.getPipeline(), Incident.class);
    Coder<PendingCase> pendingCoder = SchemaCoders.of(events.getPipeline(), PendingCase.class);
    for (PCollectionTuple t : List.of(byParticipant, bySession)) {
      t.get(INCIDENTS).setCoder(incidentCoder);
      t.get(PENDING).setCoder(pendingCoder);
    }
    PCollection<Incident> incidents = PCollectionList.of(byParticipant.get(INCIDENTS)).and(bySession.get(INCIDENTS))
        .apply("AllIncidents", Flatten.pCollections()).setCoder(incidentCoder);
    PCollection<PendingCase> pending = PCollectionList.of(byParticipant.get(PENDING)).and(bySession.get(PENDING))
        .apply("AllPending", Flatten.pCollections()).setCoder(pendingCoder);
    return PCollectionTuple.of(INCIDENTS, incidents).and(PENDING, pending).and(WINDOW, windowPc);
  }

  /** An event without seminar that some rule's global condition can match (the classifiers' global side input). */
  static boolean isGlobalForRules(Event e, RuleSet rules) {
    return e.seminarId == null && rules.usedAsGlobal(e);
  }

  /**
   * {@code classify} of every item, in contiguous slices on up to {@code threads} threads, one result
   * per slice in the items' order.
   */
  private static <T> List<Result> inSlices(List<T> items, int threads, DataWindow window,
      java.util.function.BiFunction<T, List<PendingCase>, List<Incident>> classify) {
    return Parallel.map(Parallel.slices(items, threads), threads, slice -> {
      List<Incident> incidents = new ArrayList<>();
      List<PendingCase> pending = new ArrayList<>();
      for (T item : slice) {
        incidents.addAll(classify.apply(item, pending));
      }
      return new Result(incidents, pending, window);
    });
  }

  /** What {@link #expand} gives, held in memory. */
  public record Result(List<Incident> incidents, List<PendingCase> pending, DataWindow window) {}

  /**
   * The same classification as {@link #expand}, on events held in memory (the in-process engine): the
   * same combiners, indexes and {@link Classifier} calls, per participant and per session, the
   * sessions and participants on one thread per core (each is independent of the others, as on the
   * runner's workers), their results put together in the order of one thread.
   */
  public static Result inProcess(List<Event> events, RuleSet rules, @Nullable DataWindow given) {
    return inProcess(events, rules, given, Parallel.cores());
  }

  /** {@link #inProcess(List, RuleSet, DataWindow)} on {@code threads} threads (1: in this thread). */
  public static Result inProcess(List<Event> events, RuleSet rules, @Nullable DataWindow given, int threads) {
    List<Event> other = InMemory.filter(events, (Event e) -> !Sources.METRICS.equals(e.source));
    GlobalEvents globals = GlobalEvents.of(InMemory.filter(other, (Event e) -> isGlobalForRules(e, rules)));
    MetricsIndex metrics = MetricsIndex.of(InMemory.filter(events, (Event e) -> Sources.METRICS.equals(e.source)),
        rules.metricsLookbackMicros);
    DataWindow window = given != null ? given : InMemory.combine(other, new DataWindow.SpanFn());
    SessionFacts.Fn factsFn = new SessionFacts.Fn(rules);
    List<Map.Entry<String, List<Event>>> sessions = new ArrayList<>(InMemory.group(
        InMemory.filter(other, (Event e) -> e.seminarId != null), (Event e) -> SessionKey.of(e.seminarId, e.sessionId)).entrySet());
    Map<String, SessionFacts> facts = new java.util.HashMap<>();
    for (Map.Entry<String, SessionFacts> f : Parallel.mapEach(sessions, threads,
        session -> Map.entry(session.getKey(), InMemory.combine(session.getValue(), factsFn)))) {
      facts.put(f.getKey(), f.getValue());
    }
    Set<String> available = new java.util.HashSet<>(InMemory.map(events, (Event e) -> e.source));
    Classifier classifier = new Classifier(rules);
    List<Map.Entry<String, List<Event>>> participants = new ArrayList<>(new java.util.TreeMap<>(InMemory.group(
        InMemory.filter(other, (Event e) -> e.seminarId != null && e.userId != null),
        (Event e) -> SessionKey.participant(e.seminarId, e.userId))).entrySet());
    List<Result> parts = new ArrayList<>(inSlices(participants, threads, window, (participant, pending) -> {
      String seminar = SessionKey.first(participant.getKey());
      String user = SessionKey.second(participant.getKey());
      return classifier.classifyParticipant(seminar, user, participant.getValue(),
          session -> facts.get(SessionKey.of(seminar, session)), globals, metrics, window, available, pending);
    }));
    parts.addAll(inSlices(new ArrayList<>(facts.values()), threads, window,
        (f, pending) -> classifier.classifySession(f, globals, metrics, window, available, pending)));
    List<Incident> incidents = new ArrayList<>();
    List<PendingCase> pending = new ArrayList<>();
    parts.forEach(r -> {
      incidents.addAll(r.incidents());
      pending.addAll(r.pending());
    });
    return new Result(incidents, pending, window);
  }

  /**
   * The global events and metric samples of the run as side inputs, sorted and indexed once per
   * worker (the runner hands out the same materialized list for every element of a task).
   */
  static final class SideIndex implements java.io.Serializable {
    final PCollectionView<List<Event>> globals;
    final PCollectionView<List<Event>> metrics;
    final PCollectionView<List<String>> available;
    private final SideInputIndex<List<Event>, GlobalEvents> globalsIndex = new SideInputIndex<>(GlobalEvents::of);
    private final SideInputIndex<List<Event>, MetricsIndex> metricsIndex;
    private final SideInputIndex<List<String>, Set<String>> availableIndex = new SideInputIndex<>(Set::copyOf);

    SideIndex(PCollectionView<List<Event>> globals, PCollectionView<List<Event>> metrics,
        PCollectionView<List<String>> available, long lookbackMicros) {
      this.globals = globals;
      this.metrics = metrics;
      this.available = available;
      this.metricsIndex = new SideInputIndex<>(samples -> MetricsIndex.of(samples, lookbackMicros));
    }

    GlobalEvents globals(DoFn<?, ?>.ProcessContext c) {
      return globalsIndex.of(c.sideInput(globals));
    }

    MetricsIndex metrics(DoFn<?, ?>.ProcessContext c) {
      return metricsIndex.of(c.sideInput(metrics));
    }

    Set<String> available(DoFn<?, ?>.ProcessContext c) {
      return availableIndex.of(c.sideInput(available));
    }
  }

  /**
   * Classifies every participant of a bucket: their events are regrouped per (seminar, user), with the
   * facts of the sessions they were in (joined to the bucket by key, {@link FactsToParticipants}).
   */
  static final class ParticipantFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Incident> {
    private final Classifier classifier;
    private final SideIndex side;
    private final PCollectionView<DataWindow> window;

    ParticipantFn(Classifier classifier, SideIndex side, PCollectionView<DataWindow> window) {
      this.classifier = classifier;
      this.side = side;
      this.window = window;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> kv, MultiOutputReceiver out, ProcessContext c) {
      FactsToParticipants.Bucket bucket = FactsToParticipants.open(kv.getValue());
      Map<String, SessionFacts> factsMap = bucket.facts();
      for (Map.Entry<String, List<Event>> participant : bucket.participants().entrySet()) {
        String seminar = SessionKey.first(participant.getKey());
        String user = SessionKey.second(participant.getKey());
        List<PendingCase> pending = new ArrayList<>();
        for (Incident i : classifier.classifyParticipant(seminar, user, participant.getValue(),
            session -> factsMap.get(SessionKey.of(seminar, session)), side.globals(c), side.metrics(c),
            c.sideInput(window), side.available(c), pending)) {
          out.get(INCIDENTS).output(i);
        }
        pending.forEach(out.get(PENDING)::output);
      }
    }
  }

  static final class SessionFn extends DoFn<KV<String, SessionFacts>, Incident> {
    private final Classifier classifier;
    private final SideIndex side;
    private final PCollectionView<DataWindow> window;

    SessionFn(Classifier classifier, SideIndex side, PCollectionView<DataWindow> window) {
      this.classifier = classifier;
      this.side = side;
      this.window = window;
    }

    @ProcessElement
    public void process(@Element KV<String, SessionFacts> kv, MultiOutputReceiver out, ProcessContext c) {
      List<PendingCase> pending = new ArrayList<>();
      for (Incident i : classifier.classifySession(kv.getValue(), side.globals(c), side.metrics(c),
          c.sideInput(window), side.available(c), pending)) {
        out.get(INCIDENTS).output(i);
      }
      pending.forEach(out.get(PENDING)::output);
    }
  }
}
