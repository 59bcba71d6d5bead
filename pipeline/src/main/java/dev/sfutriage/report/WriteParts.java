package dev.sfutriage.report;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The report stage inside the pipeline: renders every result to JSON lines and writes them as
 * unordered part files into the run's staging folder. {@link Finalize} (after the run) orders them,
 * redacts them, renders the human reports and moves everything into the output folder.
 */
public final class WriteParts extends PTransform<PCollectionTuple, PDone> {
  public static final TupleTag<Incident> INCIDENTS = new TupleTag<Incident>("incidents") {};
  public static final TupleTag<PendingCase> PENDING = new TupleTag<PendingCase>("pending") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>("deadLetters") {};
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<KV<String, Long>>("stats") {};
  public static final TupleTag<DataWindow> WINDOW = new TupleTag<DataWindow>("window") {};
  public static final TupleTag<Event> TIMELINE = new TupleTag<Event>("timeline") {};
  /** Already rendered JSON lines. */
  public static final TupleTag<String> TICKETS = new TupleTag<String>("tickets") {};
  public static final TupleTag<String> REPLAY = new TupleTag<String>("replay") {};

  private final String partsDir;

  public WriteParts(String partsDir) {
    this.partsDir = partsDir;
  }

  @Override
  public PDone expand(PCollectionTuple in) {
    List<PCollection<String>> parts = new ArrayList<>();
    parts.add(tag(in.get(INCIDENTS).apply("IncidentJson", ParDo.of(new IncidentJsonFn())), "incidents"));
    parts.add(tag(in.get(PENDING).apply("PendingJson", ParDo.of(new PendingJsonFn())), "pending"));
    parts.add(tag(in.get(DEAD_LETTERS).apply("DeadLetterJson", ParDo.of(new DeadLetterJsonFn())), "dead_letters"));
    parts.add(tag(in.get(STATS).apply("SumStats", Sum.longsPerKey()).apply("StatLines", ParDo.of(new StatLineFn())), "stats"));
    parts.add(tag(in.get(WINDOW).apply("WindowLine", ParDo.of(new WindowLineFn())), "window"));
    if (in.has(TIMELINE)) {
      parts.add(tag(in.get(TIMELINE).apply("TimelineJson", ParDo.of(new TimelineJsonFn())), "timeline"));
    }
    if (in.has(TICKETS)) {
      parts.add(tag(in.get(TICKETS), "tickets"));
    }
    if (in.has(REPLAY)) {
      parts.add(tag(in.get(REPLAY), "replay"));
    }
    // One sink for every result: each line says which output it belongs to ("name<TAB>line").
    PCollectionList.of(parts).apply("AllParts", Flatten.pCollections())
        .apply("Write", TextIO.write().to(partsDir + "/part").withSuffix(".txt"));
    return PDone.in(in.getPipeline());
  }

  private static PCollection<String> tag(PCollection<String> lines, String name) {
    return lines.apply("Tag " + name, MapElements.into(TypeDescriptors.strings()).via((String l) -> name + "\t" + l));
  }

  static final class IncidentJsonFn extends DoFn<Incident, String> {
    @ProcessElement
    public void process(@Element Incident i, OutputReceiver<String> out) {
      out.output(JsonOut.line(JsonOut.incident(i)));
    }
  }

  static final class PendingJsonFn extends DoFn<PendingCase, String> {
    @ProcessElement
    public void process(@Element PendingCase p, OutputReceiver<String> out) {
      out.output(JsonOut.line(JsonOut.pending(p)));
    }
  }

  static final class DeadLetterJsonFn extends DoFn<DeadLetter, String> {
    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<String> out) {
      out.output(JsonOut.line(JsonOut.deadLetter(d)));
    }
  }

  static final class TimelineJsonFn extends DoFn<Event, String> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<String> out) {
      out.output(JsonOut.line(JsonOut.timeline(e)));
    }
  }

  static final class StatLineFn extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(@Element KV<String, Long> kv, OutputReceiver<String> out) {
      out.output(kv.getKey() + "\t" + kv.getValue());
    }
  }

  static final class WindowLineFn extends DoFn<DataWindow, String> {
    @ProcessElement
    public void process(@Element DataWindow w, OutputReceiver<String> out) {
      out.output(w.fromMicros + "\t" + w.toMicros);
    }
  }
}
