package dev.sfutriage;

import dev.sfutriage.classify.Classify;
import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.index.ReadIndex;
import dev.sfutriage.jobs.EnrichTickets;
import dev.sfutriage.jobs.ReplayJobs;
import dev.sfutriage.jobs.ScopeIncidents;
import dev.sfutriage.jobs.Timeline;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.ReadInProcess;
import dev.sfutriage.report.JsonOut;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The job of {@link TriagePipeline}, run in this JVM without a runner, for a --fromIndex run that
 * reads little (one seminar's partition, a few tickets' seminars): the runner's start-up and its
 * ~150 steps cost more than such a run's work. Every stage calls the same per-element functions and
 * combiners as its transform ({@code inProcess} beside each {@code expand}), and the results are
 * written as the same part lines, which {@code Finalize} turns into the outputs as after a pipeline;
 * IndexParityTest holds both engines to the same bytes.
 */
final class InProcessRun {
  /** The one part file this engine writes, named as TextIO's shards are. */
  static final String PART = "part-00000-of-00001.txt";

  private InProcessRun() {}

  /**
   * Whether this run goes in process: {@code --engine=IN_PROCESS}, or AUTO and a --fromIndex run
   * with nothing but tickets beside it whose partitions total at most --inProcessMaxBytes.
   *
   * @throws RunConfig.UsageException when IN_PROCESS is asked for a run it cannot do
   */
  static boolean chosen(RunConfig cfg) {
    TriageOptions.Engine engine = cfg.options.getEngine();
    if (engine == TriageOptions.Engine.RUNNER) {
      return false;
    }
    String cannot = cfg.index == null ? "it reads raw inputs (only a --fromIndex run can)"
        : cfg.jdbc != null || cfg.bigQuery != null ? "it reads a database"
        : cfg.incidentsTable != null ? "it writes --incidentsTable through BigQueryIO" : null;
    if (engine == TriageOptions.Engine.IN_PROCESS) {
      if (cannot != null) {
        throw new RunConfig.UsageException("--engine=IN_PROCESS: this run cannot run in process: " + cannot);
      }
      return true;
    }
    return cannot == null && cfg.index.bytesToRead() <= cfg.options.getInProcessMaxBytes();
  }

  /** Reads, correlates, classifies and reports as {@link TriagePipeline#build} does, into {@code partsDir}. */
  static void run(RunConfig cfg, String partsDir) {
    ReadIndex.Read indexed = ReadIndex.inProcess(cfg.index, cfg.scope);
    List<String> ticketFiles = cfg.files.get(Sources.TICKETS);
    ReadInProcess.Read<Ticket> tickets = ticketFiles == null || ticketFiles.isEmpty()
        ? new ReadInProcess.Read<>(List.of(), List.of(), List.of()) : ReadInProcess.tickets(ticketFiles);
    List<Event> events = Correlate.inProcess(indexed.events(), cfg.rules);
    Classify.Result classified = Classify.inProcess(events, cfg.rules, cfg.window);
    List<Incident> incidents = ScopeIncidents.inProcess(classified.incidents(), events, cfg.scope);

    Parts parts = new Parts();
    incidents.forEach(i -> parts.add("incidents", JsonOut.line(JsonOut.incident(i))));
    classified.pending().forEach(p -> parts.add("pending", JsonOut.line(JsonOut.pending(p))));
    tickets.deadLetters().forEach(d -> parts.add("dead_letters", JsonOut.line(JsonOut.deadLetter(d))));
    parts.stats(indexed.accounting(), tickets.accounting(), events);
    parts.add("window", classified.window().fromMicros + "\t" + classified.window().toMicros);
    if (cfg.wantsTimeline()) {
      Timeline.inProcess(events, cfg.scope).forEach(e -> parts.add("timeline", JsonOut.line(JsonOut.timeline(e))));
    }
    if (ticketFiles != null) {
      EnrichTickets.inProcess(events, tickets.records(), tickets.deadLetters(), incidents, classified.window(), cfg.scope)
          .forEach(l -> parts.add("tickets", l));
    }
    if (cfg.givenSources().contains(Sources.WEBHOOK_JOBS)) {
      ReplayJobs.inProcess(events).forEach(l -> parts.add("replay", l));
    }
    parts.write(partsDir + "/" + PART);
  }

  /** The part lines ("name<TAB>line") that WriteParts would write. */
  private static final class Parts {
    private final StringBuilder text = new StringBuilder(1 << 16);

    void add(String name, String line) {
      text.append(name).append('\t').append(line).append('\n');
    }

    /** The accounting and the unattributed counts, summed per key as WriteParts' Sum.longsPerKey. */
    void stats(List<KV<String, Long>> index, List<KV<String, Long>> tickets, List<Event> events) {
      Map<String, Long> sums = new TreeMap<>();
      for (List<KV<String, Long>> part : List.of(index, tickets)) {
        part.forEach(kv -> sums.merge(kv.getKey(), kv.getValue(), Long::sum));
      }
      for (Event e : events) {
        @Nullable String stat = TriagePipeline.unattributed(e);
        if (stat != null) {
          sums.merge(stat, 1L, Long::sum);
        }
      }
      sums.forEach((k, v) -> add("stats", k + "\t" + v));
    }

    void write(String file) {
      try (Writer w = Channels.newWriter(FileSystems.create(FileSystems.matchNewResource(file, false), "text/plain"),
          StandardCharsets.UTF_8)) {
        w.write(text.toString());
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

}
