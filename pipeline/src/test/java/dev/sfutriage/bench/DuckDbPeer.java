package dev.sfutriage.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * The peer of {@code bin/bench --peer}: DuckDB (in-process, all cores) doing the core join of the
 * token_fetch_failed rule over the same raw files — every analytics {@code livekit_connect_failed}
 * with the backend's refusals of {@code /sfu/token} (status ≥ 400) for the same user within 5 minutes.
 * Prints {@code peer: <failures> failures, <with refusal> with a refusal, in <s> s}. What a SQL engine
 * costs for one rule's join, with none of the pipeline's accounting, correlation or other rules.
 */
public final class DuckDbPeer {
  private DuckDbPeer() {}

  public static void main(String[] args) throws Exception {
    Path day = Path.of(args[0]).toAbsolutePath();
    String analytics = day.resolve("analytics") + "/*";
    String backend = day.resolve("backend") + "/app-*";
    String sql = """
        WITH fails AS (
          SELECT user_id, CAST(event_timestamp AS BIGINT) AS t
          FROM read_json('%s', format = 'newline_delimited', ignore_errors = true,
            columns = {event_name: 'VARCHAR', event_timestamp: 'VARCHAR', user_id: 'VARCHAR'})
          WHERE event_name = 'livekit_connect_failed'),
        refused AS (
          SELECT user_id, epoch_us(CAST("timestamp" AS TIMESTAMPTZ)) AS t
          FROM read_json('%s', format = 'newline_delimited', ignore_errors = true,
            columns = {event: 'VARCHAR', "timestamp": 'VARCHAR', path: 'VARCHAR', status_code: 'INTEGER', user_id: 'VARCHAR'})
          WHERE event = 'http_request' AND starts_with(path, '/sfu/token') AND status_code >= 400)
        SELECT count(DISTINCT f.user_id || ':' || f.t) AS failures,
               count(DISTINCT CASE WHEN r.t IS NOT NULL THEN f.user_id || ':' || f.t END) AS with_refusal
        FROM fails f LEFT JOIN refused r ON r.user_id = f.user_id AND r.t BETWEEN f.t - 300000000 AND f.t + 300000000
        """.formatted(analytics, backend);
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      System.out.printf(Locale.ROOT, "peer: DuckDB %d connect failures, %d with a token refusal within 5 min, in %.1f s%n",
          r.getLong(1), r.getLong(2), (System.nanoTime() - start) / 1e9);
    }
  }
}
