package dev.sfutriage.read;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The run's window ({@code --from}/{@code --to}, half-open) and ad-hoc scope ({@code --seminarId},
 * {@code --sessionId}, {@code --userId}), applied to each event as it is read — before any shuffle.
 *
 * <p>An event that lacks the scoped field (a crash without seminar, a global webhook rejection) is
 * kept: it may still be attributed to the scope by the correlation stage. Metric samples are kept
 * from a look-back before the window so that counter increases at its start have a baseline.
 */
public final class RunScope implements Serializable {
  public final @Nullable Long fromMicros;
  public final @Nullable Long toMicros;
  public final @Nullable String seminarId;
  public final @Nullable String sessionId;
  public final @Nullable String userId;
  public final long metricsLookbackMicros;

  public RunScope(@Nullable Long fromMicros, @Nullable Long toMicros, @Nullable String seminarId,
      @Nullable String sessionId, @Nullable String userId, long metricsLookbackMicros) {
    this.fromMicros = fromMicros;
    this.toMicros = toMicros;
    this.seminarId = seminarId;
    this.sessionId = sessionId;
    this.userId = userId;
    this.metricsLookbackMicros = metricsLookbackMicros;
  }

  public static RunScope everything() {
    return new RunScope(null, null, null, null, null, 0);
  }

  public boolean isAdHoc() {
    return seminarId != null || sessionId != null || userId != null;
  }

  /** Why the event is not used, or null to keep it. */
  public @Nullable String reject(Event e) {
    long from = fromMicros == null ? Long.MIN_VALUE
        : Sources.METRICS.equals(e.source) ? fromMicros - metricsLookbackMicros : fromMicros;
    if (e.timeMicros < from || (toMicros != null && e.timeMicros >= toMicros)) {
      return Filters.OUT_OF_WINDOW;
    }
    if (mismatch(seminarId, e.seminarId) || mismatch(sessionId, e.sessionId) || mismatch(userId, e.userId)) {
      return Filters.OUT_OF_SCOPE;
    }
    return null;
  }

  private static boolean mismatch(@Nullable String wanted, @Nullable String actual) {
    return wanted != null && actual != null && !wanted.equals(actual);
  }
}
