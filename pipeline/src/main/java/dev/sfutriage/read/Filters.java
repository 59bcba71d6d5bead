package dev.sfutriage.read;

/** Why a readable record was not used: the reasons counted under {@code filtered}. */
public final class Filters {
  /** Not about LiveKit (screen_view, /health, ...): the bulk of every export. */
  public static final String IRRELEVANT = "not_livekit";
  public static final String OUT_OF_WINDOW = "out_of_window";
  public static final String OUT_OF_SCOPE = "out_of_scope";
  /** A Cloud Logging entry with a text payload: not one of the backend's structured events. */
  public static final String UNSTRUCTURED = "unstructured_log";
  /** A Cloud Audit Logs entry ({@code protoPayload} of type AuditLog): who changed what in the project. */
  public static final String AUDIT_LOG = "audit_log";
  /** A Cloud Logging entry of another service (DNS queries, a load balancer's own records...): no app event. */
  public static final String OTHER_SERVICE_LOG = "other_service_log";
  /** A request log (load balancer, Cloud Run) of a path the rules do not read ({@code /health}, static files). */
  public static final String REQUEST_LOG_NOT_RELEVANT = "request_log_not_relevant";
  /**
   * A request log that names no seminar, session or user and did not fail on the server (status
   * below 500): it can be joined to no one (a proxy's 5xx of no one is kept, as global evidence).
   */
  public static final String REQUEST_LOG_UNATTRIBUTED = "request_log_unattributed";
  /** A Prometheus sample whose value is NaN: a staleness marker or an undefined result (0/0). */
  public static final String METRIC_NAN = "metric_sample_nan";
  /** A Prometheus sample of +Inf or -Inf (a division by zero): no counter or gauge the rules read has one. */
  public static final String METRIC_INFINITE = "metric_sample_infinite";
  /** A native-histogram sample ({@code histograms} of a series): no rule reads histograms. */
  public static final String METRIC_HISTOGRAM = "metric_histogram_sample";
  /** A Prometheus series without {@code __name__}: the result of a function (rate(), increase(), sum()), not a raw series. */
  public static final String UNNAMED_SERIES = "metric_series_without_name";

  private Filters() {}
}
