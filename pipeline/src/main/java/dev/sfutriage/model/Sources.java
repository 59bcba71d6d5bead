package dev.sfutriage.model;

import java.util.List;

/** The input sources of data-contract §1-§6, by the names used in outputs. */
public final class Sources {
  public static final String ANALYTICS = "analytics";
  public static final String CRASHLYTICS = "crashlytics";
  public static final String BACKEND_LOGS = "backend_logs";
  public static final String WEBHOOK_JOBS = "webhook_jobs";
  public static final String METRICS = "metrics";
  public static final String TICKETS = "tickets";

  public static final List<String> ALL =
      List.of(ANALYTICS, CRASHLYTICS, BACKEND_LOGS, WEBHOOK_JOBS, METRICS, TICKETS);

  /** Client-side sources: their clocks are device clocks. */
  public static boolean isClient(String source) {
    return ANALYTICS.equals(source) || CRASHLYTICS.equals(source);
  }

  private Sources() {}
}
