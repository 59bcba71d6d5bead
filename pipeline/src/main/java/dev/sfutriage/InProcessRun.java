package dev.sfutriage;

import dev.sfutriage.classify.Classify;
import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.index.ReadIndex;
import dev.sfutriage.index.UserMap;
import dev.sfutriage.index.WriteIndex;
import dev.sfutriage.model.DeadLetter;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The job of {@link TriagePipeline}, run in this JVM without a runner, for a run that reads little: a
 * --fromIndex run of one seminar, a user or a few tickets, or a small day of raw files. For those the
 * runner's start-up and its ~150 steps cost more than the work. Every stage calls the same per-element
 * functions and combiners as its transform ({@code inProcess} beside each {@code expand}), and the
 * results are written as the same part lines, which {@code Finalize} turns into the outputs as after a
 * pipeline; IndexParityTest and RunnerParityTest hold both engines to the same bytes.
 */
final class InProcessRun {
  /** The one part file this engine writes, named as TextIO's shards are. */
  static final String PART = "part-00000-of-00001.txt";
  /** Heap bytes allowed per kept event by --inProcessMaxEvents=0 (an event, its copies and the stages' maps). */
  static final long HEAP_PER_EVENT = 2048;

  private InProcessRun() {}

  /**
   * Whether this run goes in process: {@code --engine=IN_PROCESS}; or AUTO, no --runner named, no
   * database or BigQuery, local raw files (any size: the read stops at {@link #maxEvents}) and at most
   * --inProcessMaxBytes of index to read.
   *
   * @param runnerNamed whether the command line names a --runner (AUTO then runs on it)
   * @throws RunConfig.UsageException when IN_PROCESS is asked for a run it cannot do
   */
  static boolean chosen(RunConfig cfg, boolean runnerNamed) {
    TriageOptions.Engine engine = cfg.options.getEngine();
    if (engine == TriageOptions.Engine.RUNNER) {
      return false;
    }
    String cannot = cfg.jdbc != null || cfg.bigQuery != null ? "it reads a database (JdbcIO, BigQueryIO)"
        : cfg.incidentsTable != null ? "it writes --incidentsTable through BigQueryIO" : null;
    if (engine == TriageOptions.Engine.IN_PROCESS) {
      if (cannot != null) {
        throw new RunConfig.UsageException("--engine=IN_PROCESS: this run cannot run in process: " + cannot);
      }
      return true;
    }
    return cannot == null && !runnerNamed && !readsRemoteFiles(cfg)
        && (cfg.index == null || cfg.index.bytesToRead() <= cfg.options.getInProcessMaxBytes());
  }

  /**
   * Whether a raw input is on a remote file system (gs://, s3://…): its size is not known up front and
   * a cluster's runner reads it in parallel, so AUTO leaves it to the runner. A file:// path is local.
   */
  static boolean readsRemoteFiles(RunConfig cfg) {
    return cfg.files.values().stream().flatMap(java.util.List::stream).anyMatch(dev.sfutriage.read.InputFiles::remote);
  }

  /**
   * The events an AUTO run keeps in memory before it gives up and runs on the runner:
   * --inProcessMaxEvents, or with 0 one per {@value #HEAP_PER_EVENT} bytes of the heap.
   */
  static long maxEvents(RunConfig cfg) {
    long given = cfg.options.getInProcessMaxEvents();
    return given > 0 ? given : Math.max(10_000, Runtime.getRuntime().maxMemory() / HEAP_PER_EVENT);
  }

  /**
   * Reads, correlates, classifies and reports as {@link TriagePipeline#build} does, into {@code partsDir}.
   *
   * @throws ReadInProcess.TooMany when an AUTO run's raw files hold more than {@link #maxEvents} events
   *     (nothing is left in {@code partsDir}: the caller runs the pipeline instead)
   */
  static void run(RunConfig cfg, String partsDir, String indexDir) {
    String part = partsDir + "/" + PART;
    try {
      write(cfg, part, indexDir);
    } catch (ReadInProcess.TooMany e) {
      try {
        FileSystems.delete(List.of(FileSystems.matchNewResource(part, false)));
      } catch (IOException gone) {
        throw new IllegalStateException("cannot remove " + part + ": " + gone.getMessage(), gone);
      }
      throw e;
    }
  }

  private static void write(RunConfig cfg, String part, String indexDir) {
    try (Parts parts = new Parts(part)) {
      List<DeadLetter> ticketDeadLetters = new java.util.ArrayList<>();
      java.util.function.Consumer<DeadLetter> dead = d -> {
        parts.add("dead_letters", JsonOut.line(JsonOut.deadLetter(d)));
        if (Sources.TICKETS.equals(d.source)) {
          ticketDeadLetters.add(d);
        }
      };
      List<Event> ingested;
      List<KV<String, Long>> accounting = new java.util.ArrayList<>();
      if (cfg.index != null) {
        ReadIndex.Read indexed = ReadIndex.inProcess(cfg.index, cfg.scope);
        ingested = indexed.events();
        accounting.addAll(indexed.accounting());
      } else {
        ReadInProcess.Read<Event> raw = ReadInProcess.events(cfg.files, cfg.rules.ingest, cfg.scope, dead,
            cfg.options.getEngine() == TriageOptions.Engine.IN_PROCESS ? Long.MAX_VALUE : maxEvents(cfg));
        ingested = raw.records();
        accounting.addAll(raw.accounting());
      }
      List<String> ticketFiles = cfg.files.get(Sources.TICKETS);
      List<Ticket> tickets = List.of();
      if (ticketFiles != null && !ticketFiles.isEmpty()) {
        ReadInProcess.Read<Ticket> read = ReadInProcess.tickets(ticketFiles, dead);
        tickets = read.records();
        accounting.addAll(read.accounting());
      }
      if (cfg.writesIndex()) {
        WriteIndex.inProcess(indexDir, ingested);
      }
      List<Event> events = Correlate.inProcess(ingested, cfg.rules);
      if (cfg.writesIndex()) {
        UserMap.inProcess(UserMap.stagedDir(indexDir), events);
      }
      ingested = null; // the events correlation replaced need not stay on the heap while the day is classified
      Classify.Result classified = Classify.inProcess(events, cfg.rules, cfg.window);
      List<Incident> incidents = ScopeIncidents.inProcess(classified.incidents(), events, cfg.scope);

      incidents.forEach(i -> parts.add("incidents", JsonOut.line(JsonOut.incident(i))));
      classified.pending().forEach(p -> parts.add("pending", JsonOut.line(JsonOut.pending(p))));
      parts.stats(accounting, events);
      parts.add("window", classified.window().fromMicros + "\t" + classified.window().toMicros);
      if (cfg.wantsTimeline()) {
        Timeline.inProcess(events, cfg.scope).forEach(e -> parts.add("timeline", JsonOut.line(JsonOut.timeline(e))));
      }
      if (cfg.files.containsKey(Sources.TICKETS)) {
        EnrichTickets.inProcess(events, tickets, ticketDeadLetters, incidents, classified.window(), cfg.scope)
            .forEach(l -> parts.add("tickets", l));
      }
      if (cfg.givenSources().contains(Sources.WEBHOOK_JOBS)) {
        ReplayJobs.inProcess(events).forEach(l -> parts.add("replay", l));
      }
    }
  }

  /** The part lines ("name<TAB>line") that WriteParts would write, streamed to one part file. */
  private static final class Parts implements AutoCloseable {
    private final String file;
    private final Writer out;

    Parts(String file) {
      this.file = file;
      try {
        out = new java.io.BufferedWriter(Channels.newWriter(
            FileSystems.create(FileSystems.matchNewResource(file, false), "text/plain"), StandardCharsets.UTF_8), 1 << 16);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    void add(String name, String line) {
      try {
        out.append(name).append('\t').append(line).append('\n');
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    /** The accounting and the unattributed counts, summed per key as WriteParts' Sum.longsPerKey. */
    void stats(List<KV<String, Long>> accounting, List<Event> events) {
      Map<String, Long> sums = new TreeMap<>();
      accounting.forEach(kv -> sums.merge(kv.getKey(), kv.getValue(), Long::sum));
      for (Event e : events) {
        @Nullable String stat = TriagePipeline.unattributed(e);
        if (stat != null) {
          sums.merge(stat, 1L, Long::sum);
        }
      }
      sums.forEach((k, v) -> add("stats", k + "\t" + v));
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
