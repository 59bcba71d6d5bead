package dev.sfutriage.connectors;

import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The outside systems a run talks to: the real ones, or tests' fakes. */
public final class Connectors {
  public final QueryRunner queries;
  /** BigQueryIO's services; null = the real BigQuery. */
  public final @Nullable BigQueryServices bigQueryServices;
  /** Names this run's query result tables. */
  public final String runId;

  public Connectors(QueryRunner queries, @Nullable BigQueryServices bigQueryServices, String runId) {
    this.queries = queries;
    this.bigQueryServices = bigQueryServices;
    this.runId = runId;
  }

  public static Connectors production(@Nullable String bigQueryProject) {
    return new Connectors(new BigQueryQueryRunner(bigQueryProject), null,
        java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }
}
