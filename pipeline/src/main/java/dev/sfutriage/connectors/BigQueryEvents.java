package dev.sfutriage.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.cloud.bigquery.TableId;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.AnalyticsParser;
import dev.sfutriage.read.CrashlyticsParser;
import dev.sfutriage.read.IngestConfig;
import dev.sfutriage.read.JsonLineParser;
import dev.sfutriage.read.ReadSource;
import dev.sfutriage.read.RecordSink;
import dev.sfutriage.read.RowParser;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Analytics and Crashlytics read from their BigQuery exports: each query of queries/bigquery/ runs
 * (through a {@link QueryRunner}) into {@code <tempDataset>.sfu_triage_<source>_<runId>}, and the
 * pipeline reads that table with an EXPORT read. Every row goes through the same normalizer as an
 * NDJSON line ({@code parseObject}).
 */
public final class BigQueryEvents {
  private BigQueryEvents() {}

  /** Where the queries run and land. */
  public static final class Settings implements java.io.Serializable {
    public final @Nullable String analyticsDataset;
    public final @Nullable String crashlyticsDataset;
    public final List<String> crashlyticsTables;
    public final String project;
    public final String tempDataset;

    public Settings(@Nullable String analyticsDataset, @Nullable String crashlyticsDataset, List<String> crashlyticsTables,
        String project, String tempDataset) {
      this.analyticsDataset = analyticsDataset;
      this.crashlyticsDataset = crashlyticsDataset;
      this.crashlyticsTables = crashlyticsTables;
      this.project = project;
      this.tempDataset = tempDataset;
    }

    public TableId destination(String source, String runId) {
      return TableId.of(project, tempDataset, "sfu_triage_" + source + "_" + runId);
    }
  }

  /** Runs the queries now and returns the reads of their results (in graph order: analytics, crashlytics). */
  public static List<ReadSource<Event>> sources(Settings s, RunScope scope, IngestConfig ingest, Coder<Event> coder,
      QueryRunner runner, @Nullable BigQueryServices testServices, String runId) {
    List<BigQueryQuery> queries = new ArrayList<>();
    if (s.analyticsDataset != null) {
      queries.add(BigQueryQuery.analytics(s.analyticsDataset, scope, s.destination(Sources.ANALYTICS, runId)));
    }
    if (s.crashlyticsDataset != null) {
      queries.add(BigQueryQuery.crashlytics(s.crashlyticsDataset, s.crashlyticsTables, scope,
          s.destination(Sources.CRASHLYTICS, runId)));
    }
    List<ReadSource<Event>> out = new ArrayList<>();
    for (BigQueryQuery q : queries) {
      try {
        runner.run(q);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the " + q.source + " query ran", e);
      }
      TableReference table = new TableReference().setProjectId(q.destination.getProject())
          .setDatasetId(q.destination.getDataset()).setTableId(q.destination.getTable());
      BigQueryIO.TypedRead<TableRow> read = BigQueryIO.readTableRows().from(table)
          .withMethod(BigQueryIO.TypedRead.Method.EXPORT);
      if (testServices != null) {
        read = read.withTestServices(testServices).withoutValidation();
      }
      out.add(ReadSource.rows(read, new TableRowParser(q.source, q.origin, ingest), scope, coder, (Event e) -> e.location));
    }
    return out;
  }

  /** A TableRow → JSON (INT64 as text, TIMESTAMP as BigQuery's text, as in an NDJSON extract) → parseObject. */
  public static final class TableRowParser implements RowParser<TableRow, Event> {
    private final String source;
    private final String origin;
    private final JsonLineParser<Event> parser;

    public TableRowParser(String source, String origin, IngestConfig ingest) {
      this.source = source;
      this.origin = origin;
      this.parser = Sources.ANALYTICS.equals(source) ? new AnalyticsParser(ingest) : new CrashlyticsParser(ingest);
    }

    @Override
    public String source() {
      return source;
    }

    @Override
    public void parse(TableRow row, RecordSink<Event> sink) {
      JsonNode json = toJson(row);
      String id = Json.text(json, "event_id");
      String raw = json.toString();
      parser.parseObject(origin + "#" + (id != null ? id : Fingerprint.of(json)), json, raw, sink);
    }

    static JsonNode toJson(TableRow row) {
      return Json.MAPPER.valueToTree(new java.util.LinkedHashMap<>(row));
    }
  }
}
