package dev.sfutriage.connectors;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.IngestConfig;
import dev.sfutriage.read.RecordSink;
import dev.sfutriage.read.RowParser;
import dev.sfutriage.read.WebhookJobParser;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code app.livekit_webhook_jobs} straight from PostgreSQL through JdbcIO, with the window read of
 * queries/postgres/read_jobs.sql; each row goes through the same parser as the CSV export.
 */
public final class JdbcWebhookJobs {
  public static final String TABLE = "app.livekit_webhook_jobs";

  private JdbcWebhookJobs() {}

  /** The rows of the jobs whose life overlaps [from, to) (all jobs when the window is open). */
  public static PTransform<PBegin, PCollection<Map<String, String>>> read(String url, @Nullable String user,
      @Nullable String password, @Nullable Long fromMicros, @Nullable Long toMicros) {
    JdbcIO.DataSourceConfiguration ds = JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", url);
    if (user != null) {
      ds = ds.withUsername(user);
    }
    if (password != null) {
      ds = ds.withPassword(password);
    }
    Timestamp from = Timestamp.from(fromMicros == null ? Instant.EPOCH : toInstant(fromMicros));
    Timestamp to = Timestamp.from(toMicros == null ? Instant.parse("9999-12-31T00:00:00Z") : toInstant(toMicros));
    return JdbcIO.<Map<String, String>>read()
        .withDataSourceConfiguration(ds)
        .withQuery(Sql.load("postgres/read_jobs.sql"))
        .withStatementPreparator(stmt -> {
          stmt.setTimestamp(1, from);
          stmt.setTimestamp(2, to);
        })
        .withRowMapper(JdbcWebhookJobs::row)
        .withCoder(MapCoder.of(StringUtf8Coder.of(), NullableCoder.of(StringUtf8Coder.of())));
  }

  /** Column name → text, as psql's CSV export would write it. */
  static Map<String, String> row(ResultSet rs) throws java.sql.SQLException {
    Map<String, String> out = new TreeMap<>();
    ResultSetMetaData md = rs.getMetaData();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String v = rs.getString(i);
      if (v != null && !v.isEmpty()) {
        out.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), v);
      }
    }
    return out;
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** A job row → the webhook event, located as table/row id. */
  public static final class RowParserImpl implements RowParser<Map<String, String>, Event> {
    private final WebhookJobParser parser;

    public RowParserImpl(IngestConfig config) {
      this.parser = new WebhookJobParser(config);
    }

    @Override
    public String source() {
      return Sources.WEBHOOK_JOBS;
    }

    @Override
    public void parse(Map<String, String> row, RecordSink<Event> sink) {
      parser.parseRow(TABLE + "/" + row.getOrDefault("id", "?"), row, String.valueOf(row), sink);
    }
  }
}
