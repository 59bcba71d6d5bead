package dev.sfutriage.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** An absence that cannot be concluded yet: its wait ends after the run's data window. */
@DefaultSchema(JavaFieldSchema.class)
public final class PendingCase implements Serializable {
  public final String symptom;
  public final @Nullable String seminarId;
  public final @Nullable String sessionId;
  public final @Nullable String userId;
  public final long anchorMicros;
  public final long waitUntilMicros;
  public final String reason;

  @SchemaCreate
  public PendingCase(String symptom, @Nullable String seminarId, @Nullable String sessionId,
      @Nullable String userId, long anchorMicros, long waitUntilMicros, String reason) {
    this.symptom = symptom;
    this.seminarId = seminarId;
    this.sessionId = sessionId;
    this.userId = userId;
    this.anchorMicros = anchorMicros;
    this.waitUntilMicros = waitUntilMicros;
    this.reason = reason;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof PendingCase)) {
      return false;
    }
    PendingCase p = (PendingCase) o;
    return symptom.equals(p.symptom) && Objects.equals(seminarId, p.seminarId)
        && Objects.equals(sessionId, p.sessionId) && Objects.equals(userId, p.userId)
        && anchorMicros == p.anchorMicros;
  }

  @Override
  public int hashCode() {
    return Objects.hash(symptom, seminarId, sessionId, userId);
  }
}
