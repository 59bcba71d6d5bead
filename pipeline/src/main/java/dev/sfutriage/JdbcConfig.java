package dev.sfutriage;

import dev.sfutriage.model.Sources;
import dev.sfutriage.options.TriageOptions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * --webhookJobsJdbcUrl/--webhookJobsJdbcUser and the password (SFU_TRIAGE_JDBC_PASSWORD, or the
 * option): the connection settings of app.livekit_webhook_jobs, checked, and the database tried
 * before any work so an unreachable one is one line naming host and port.
 */
public final class JdbcConfig {
  private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://(\\[[^\\]]+\\]|[^/:?]+)(?::(\\d+))?.*");
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  public final String url;
  public final @Nullable String user;
  public final @Nullable String password;

  JdbcConfig(String url, @Nullable String user, @Nullable String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The settings, or null when the jobs are read from CSV; an --inputDir CSV is replaced by the database. */
  static @Nullable JdbcConfig of(TriageOptions o, Map<String, List<String>> files) {
    String url = RunConfig.blank(o.getWebhookJobsJdbcUrl());
    if (url == null) {
      return null;
    }
    if (o.getWebhookJobs() != null) {
      throw new RunConfig.UsageException("give either --webhookJobs (CSV) or --webhookJobsJdbcUrl (PostgreSQL), not both");
    }
    if (!HOST_PORT.matcher(url).matches()) {
      throw new RunConfig.UsageException("--webhookJobsJdbcUrl: expected jdbc:postgresql://host:port/database, got '" + url + "'");
    }
    files.remove(Sources.WEBHOOK_JOBS);
    String password = o.getWebhookJobsJdbcPassword() != null ? o.getWebhookJobsJdbcPassword()
        : System.getenv("SFU_TRIAGE_JDBC_PASSWORD");
    return new JdbcConfig(url, RunConfig.blank(o.getWebhookJobsJdbcUser()), password);
  }

  /** host:port of the URL (5432 when it names none). */
  public String hostPort() {
    Matcher m = HOST_PORT.matcher(url);
    if (!m.matches()) {
      return url;
    }
    return m.group(1) + ":" + (m.group(2) != null ? m.group(2) : "5432");
  }

  /**
   * Opens and closes one connection (at most {@value #CONNECT_TIMEOUT_SECONDS} s).
   *
   * @throws ConnectorException the database cannot be reached or refuses the login
   */
  void probe() {
    java.util.Properties props = new java.util.Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    try (java.sql.Connection c = new org.postgresql.Driver().connect(url, props)) {
      if (c == null) {
        throw new ConnectorException("--webhookJobsJdbcUrl: the PostgreSQL driver does not accept '" + url + "'", null);
      }
    } catch (java.sql.SQLException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n", 2)[0];
      throw new ConnectorException("--webhookJobsJdbcUrl: cannot connect to PostgreSQL at " + hostPort() + ": " + why, e);
    }
  }

  /** An outside system that cannot be used: one line, exit 2, before any work; the trace goes to the error log. */
  public static final class ConnectorException extends RuntimeException {
    public ConnectorException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
