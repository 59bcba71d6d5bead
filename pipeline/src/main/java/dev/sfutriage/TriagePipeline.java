package dev.sfutriage;

import dev.sfutriage.classify.Classify;
import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.index.IndexCommit;
import dev.sfutriage.index.ReadIndex;
import dev.sfutriage.index.UserMap;
import dev.sfutriage.index.WriteIndex;
import dev.sfutriage.jobs.EnrichTickets;
import dev.sfutriage.jobs.ReplayJobs;
import dev.sfutriage.jobs.ScopeIncidents;
import dev.sfutriage.jobs.Timeline;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.util.SchemaCoders;
import org.apache.beam.sdk.transforms.Create;
import dev.sfutriage.connectors.BigQueryEvents;
import dev.sfutriage.connectors.BigQueryIncidents;
import dev.sfutriage.connectors.Connectors;
import dev.sfutriage.connectors.JdbcWebhookJobs;
import dev.sfutriage.read.ReadSource;
import dev.sfutriage.read.ReadSources;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import dev.sfutriage.report.WriteParts;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The whole job on one screen: read → correlate → classify → report (with the ad-hoc timeline,
 * ticket enrichment and replay candidates when the run asks for them).
 */
public final class TriagePipeline {
  private TriagePipeline() {}

  public static void build(Pipeline p, RunConfig cfg, String partsDir) {
    build(p, cfg, partsDir, Connectors.production(cfg.bigQuery == null ? null : cfg.bigQuery.project));
  }

  /** The job with the given outside systems (tests pass fakes). BigQuery queries run here, before the pipeline. */
  public static void build(Pipeline p, RunConfig cfg, String partsDir, Connectors connectors) {
    PCollectionTuple ingested = read(p, cfg, connectors);
    if (cfg.writesIndex()) {
      ingested.get(ReadSources.EVENTS).apply("Index", new WriteIndex(IndexCommit.stagedDir(partsDir)));
    }
    PCollection<Event> events = ingested.get(ReadSources.EVENTS).apply("Correlate", new Correlate(cfg.rules));
    if (cfg.writesIndex()) { // which seminar partitions hold each user, as attributed
      events.apply("IndexUsers", new UserMap(UserMap.stagedDir(IndexCommit.stagedDir(partsDir))));
    }
    PCollectionTuple classified = events.apply("Classify", new Classify(cfg.rules, cfg.window));
    PCollection<Incident> incidents = classified.get(Classify.INCIDENTS).apply("Scope", new ScopeIncidents(cfg.scope, events));
    ingested.get(ReadSources.ACCOUNTING).apply("ProgressRead", ParDo.of(new Progress.ReadCountFn()));
    ingested.get(ReadSources.EVENTS).apply("ProgressUsed", ParDo.of(new Progress.CountFn<Event>("used")));
    events.apply("ProgressCorrelated", ParDo.of(new Progress.CountFn<Event>("correlated")));
    incidents.apply("ProgressIncidents", ParDo.of(new Progress.CountFn<Incident>("incidents")));

    PCollection<KV<String, Long>> stats = PCollectionList.of(ingested.get(ReadSources.ACCOUNTING))
        .and(events.apply("CountUnattributed", ParDo.of(new UnattributedFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply("Stats", Flatten.pCollections());
    PCollectionTuple results = PCollectionTuple.of(WriteParts.INCIDENTS, incidents)
        .and(WriteParts.PENDING, classified.get(Classify.PENDING))
        .and(WriteParts.DEAD_LETTERS, ingested.get(ReadSources.DEAD_LETTERS))
        .and(WriteParts.STATS, stats)
        .and(WriteParts.WINDOW, classified.get(Classify.WINDOW));
    if (cfg.wantsTimeline()) {
      results = results.and(WriteParts.TIMELINE, events.apply("Timeline", new Timeline(cfg.scope)));
    }
    if (cfg.files.containsKey(Sources.TICKETS)) {
      results = results.and(WriteParts.TICKETS,
          events.apply("Tickets", new EnrichTickets(ingested.get(ReadSources.TICKETS), ingested.get(ReadSources.DEAD_LETTERS), incidents,
              classified.get(Classify.WINDOW), cfg.scope)));
    }
    if (cfg.givenSources().contains(Sources.WEBHOOK_JOBS)) {
      results = results.and(WriteParts.REPLAY, events.apply("Replay", new ReplayJobs()));
    }
    results.apply("Report", new WriteParts(partsDir));
    if (cfg.incidentsTable != null && cfg.window != null) {
      incidents.apply("IncidentsToBigQuery", new BigQueryIncidents(cfg.incidentsTable,
          java.time.Instant.ofEpochSecond(Math.floorDiv(cfg.window.fromMicros, 1_000_000L))
              .atZone(java.time.ZoneOffset.UTC).toLocalDate(),
          connectors.bigQueryServices));
    }
  }

  /**
   * The read stage: the raw inputs, or (--fromIndex) the index's partitions this run needs, with the
   * tickets from their file. Either way the events as the readers made them, before correlation.
   */
  static PCollectionTuple read(Pipeline p, RunConfig cfg, Connectors connectors) {
    PCollectionTuple raw;
    if (cfg.index == null || !cfg.files.isEmpty()) {
      raw = p.apply("Read", new ReadSources(cfg.files, cfg.rules.ingest, cfg.scope, tableSources(p, cfg, connectors)));
    } else { // from the index without tickets: nothing raw to read
      raw = PCollectionTuple.of(ReadSources.TICKETS, p.apply("NoTickets", Create.empty(SchemaCoders.of(p, Ticket.class))))
          .and(ReadSources.DEAD_LETTERS, p.apply("NoDeadLetters", Create.empty(SchemaCoders.of(p, DeadLetter.class))))
          .and(ReadSources.ACCOUNTING, p.apply("NoRawAccounting", Create.empty(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))));
    }
    if (cfg.index == null) {
      return raw;
    }
    PCollectionTuple indexed = p.apply("ReadIndex", new ReadIndex(cfg.index, cfg.scope));
    return PCollectionTuple.of(ReadSources.EVENTS, indexed.get(ReadIndex.EVENTS))
        .and(ReadSources.TICKETS, raw.get(ReadSources.TICKETS))
        .and(ReadSources.DEAD_LETTERS, raw.get(ReadSources.DEAD_LETTERS))
        .and(ReadSources.ACCOUNTING, PCollectionList.of(raw.get(ReadSources.ACCOUNTING)).and(indexed.get(ReadIndex.ACCOUNTING))
            .apply("AllAccounting", Flatten.pCollections()));
  }

  /** Sources read from databases rather than files. */
  static List<ReadSource<Event>> tableSources(Pipeline p, RunConfig cfg, Connectors connectors) {
    List<ReadSource<Event>> out = new ArrayList<>();
    if (cfg.jdbc != null) {
      out.add(ReadSource.rows(
          JdbcWebhookJobs.read(cfg.jdbc.url, cfg.jdbc.user, cfg.jdbc.password, cfg.scope.fromMicros, cfg.scope.toMicros),
          new JdbcWebhookJobs.RowParserImpl(cfg.rules.ingest), cfg.scope, eventCoder(p), (Event e) -> e.location));
    }
    if (cfg.bigQuery != null) {
      out.addAll(BigQueryEvents.sources(cfg.bigQuery, cfg.scope, cfg.rules.ingest, eventCoder(p), connectors.queries,
          connectors.bigQueryServices, connectors.runId));
    }
    return out;
  }

  static Coder<Event> eventCoder(Pipeline p) {
    return dev.sfutriage.model.EventCoder.of();
  }

  /** Client events that no seminar could be found for: a data-quality figure of the report. */
  static final class UnattributedFn extends DoFn<Event, KV<String, Long>> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<String, Long>> out) {
      String stat = unattributed(e);
      if (stat != null) {
        out.output(KV.of(stat, 1L));
      }
    }
  }

  /** The report's statistic a client event without seminar counts to, or null. */
  static @org.checkerframework.checker.nullness.qual.Nullable String unattributed(Event e) {
    return e.seminarId == null && Sources.isClient(e.source) ? "unattributed|" + e.source : null;
  }
}
