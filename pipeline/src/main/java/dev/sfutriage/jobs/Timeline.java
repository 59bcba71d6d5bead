package dev.sfutriage.jobs;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.util.InMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The ad-hoc correlation job's merged timeline: every event of the scope (seminar, session or
 * user) from every source, plus the global evidence of the same span — webhook rejections, worker
 * retries and failures, failed requests, and Prometheus series at the points where they changed (not
 * every scrape). Routine global lines (every room's webhook 200) are left out.
 */
public final class Timeline extends PTransform<PCollection<Event>, PCollection<Event>> {
  /** Global evidence this far around the scope's first and last event is shown too. */
  static final long MARGIN_MICROS = 30 * 60 * 1_000_000L;
  private final RunScope scope;

  public Timeline(RunScope scope) {
    this.scope = scope;
  }

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    RunScope s = scope;
    PCollection<Event> inScope = events.apply("InScope", Filter.by((Event e) -> e.seminarId != null && matches(s, e)));
    PCollectionView<DataWindow> span = inScope
        .apply("Span", Combine.globally(new DataWindow.SpanFn()).withoutDefaults())
        .setCoder(DataWindow.WindowCoder.of())
        .apply("SpanView", View.<DataWindow>asSingleton().withDefaultValue(new DataWindow(Long.MAX_VALUE, Long.MIN_VALUE)));
    PCollection<Event> metricChanges = events
        .apply("MetricSamples", Filter.by((Event e) -> Sources.METRICS.equals(e.source)))
        .apply("BySeries", WithKeys.of(Timeline::series).withKeyType(TypeDescriptors.strings()))
        .apply("GroupSeries", GroupByKey.create())
        .apply("Changes", ParDo.of(new ChangePointsFn()))
        .setCoder(events.getCoder());
    PCollection<Event> global = PCollectionList.of(events.apply("GlobalEvidence", Filter.by(Timeline::isGlobalEvidence))).and(metricChanges)
        .apply("GlobalAndMetrics", Flatten.pCollections())
        .apply("InSpan", ParDo.of(new InSpanFn(span)).withSideInputs(span))
        .setCoder(events.getCoder());
    return PCollectionList.of(inScope).and(global).apply("Merged", Flatten.pCollections());
  }

  /** {@link #expand} on events held in memory (the in-process engine). */
  public static List<Event> inProcess(List<Event> events, RunScope scope) {
    List<Event> out = InMemory.filter(events, (Event e) -> e.seminarId != null && matches(scope, e));
    DataWindow span = InMemory.combine(out, new DataWindow.SpanFn());
    List<Event> global = InMemory.filter(events, Timeline::isGlobalEvidence);
    for (List<Event> series : InMemory.group(InMemory.filter(events, (Event e) -> Sources.METRICS.equals(e.source)),
        Timeline::series).values()) {
      global.addAll(changePoints(series));
    }
    out.addAll(InMemory.filter(global, (Event e) -> inSpan(span, e)));
    return out;
  }

  private static String series(Event e) {
    return e.attr("series") == null ? e.name : e.attr("series");
  }

  private static boolean isGlobalEvidence(Event e) {
    return e.seminarId == null && !Sources.METRICS.equals(e.source) && isEvidence(e);
  }

  /** Within the margin around the scope's span (its first to its last event; none when the scope has no event). */
  private static boolean inSpan(DataWindow s, Event e) {
    return !s.isEmpty() && e.timeMicros >= s.fromMicros - MARGIN_MICROS && e.timeMicros <= s.toMicros - 1 + MARGIN_MICROS;
  }

  /** A series' samples where the value differs from the previous one, with the change as detail. */
  static List<Event> changePoints(Iterable<Event> series) {
    List<Event> samples = new ArrayList<>();
    series.forEach(samples::add);
    samples.sort((a, b) -> Long.compare(a.timeMicros, b.timeMicros));
    List<Event> out = new ArrayList<>();
    Double prev = null;
    for (Event e : samples) {
      Double v = e.num("value");
      if (prev != null && v != null && !v.equals(prev)) {
        String change = v < prev ? "dropped " + fmt(prev) + " → " + fmt(v) + (e.name.endsWith("_total") ? " (counter reset)" : "")
            : "rose " + fmt(prev) + " → " + fmt(v);
        out.add(e.toBuilder().attr("detail", change).build());
      }
      prev = v;
    }
    return out;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** Worker and webhook events that say something went wrong; the rules' global conditions look at these. */
  static final Set<String> FAILURE_EVENTS = Set.of("livekit_webhook_rejected", "livekit_webhook_retry", "livekit_webhook_failed");
  private static final Set<String> ALARM_LEVELS = Set.of("error", "critical", "warning", "fatal");
  private static final java.util.regex.Pattern FAILED_STATUS = java.util.regex.Pattern.compile("[45]\\d\\d");

  /**
   * A global event that can be evidence for the scope: a webhook rejection, a worker retry or failure,
   * any failed request (status 4xx/5xx) or an error-level line. The routine rest (every room's
   * {@code http_request /livekit/webhook 200}, processed jobs) stays out of the timeline; the read
   * stage has counted every one of them already, so nothing is lost from the accounting.
   */
  static boolean isEvidence(Event e) {
    if (FAILURE_EVENTS.contains(e.name)) {
      return true;
    }
    Double status = e.num("status_code");
    String code = e.attr("status_code");
    String level = e.attr("level");
    return (status != null && status >= 400) || (code != null && FAILED_STATUS.matcher(code).matches())
        || (level != null && ALARM_LEVELS.contains(level.toLowerCase(Locale.ROOT)));
  }

  static boolean matches(RunScope s, Event e) {
    return (s.seminarId == null || s.seminarId.equals(e.seminarId))
        && (s.sessionId == null || s.sessionId.equals(e.sessionId))
        && (s.userId == null || s.userId.equals(e.userId));
  }

  /** A series' samples where the value differs from the previous one, with the change as detail. */
  static final class ChangePointsFn extends DoFn<KV<String, Iterable<Event>>, Event> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<Event>> kv, OutputReceiver<Event> out) {
      changePoints(kv.getValue()).forEach(out::output);
    }
  }

  static final class InSpanFn extends DoFn<Event, Event> {
    private final PCollectionView<DataWindow> span;

    InSpanFn(PCollectionView<DataWindow> span) {
      this.span = span;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<Event> out, ProcessContext c) {
      if (inSpan(c.sideInput(span), e)) {
        out.output(e);
      }
    }
  }
}
