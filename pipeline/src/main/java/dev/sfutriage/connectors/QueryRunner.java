package dev.sfutriage.connectors;

/**
 * Runs one parameterized BigQuery query into its destination table (replacing it) and waits for it.
 * BigQueryIO cannot bind query parameters (apache/beam#20546), so the queries run here, before the
 * pipeline reads their destination tables with {@code BigQueryIO.readTableRows()}.
 */
public interface QueryRunner {
  void run(BigQueryQuery query) throws InterruptedException;
}
