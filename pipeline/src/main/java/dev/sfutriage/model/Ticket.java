package dev.sfutriage.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A support ticket (data-contract §6): the guide's checklist step 1, as support collects it. */
@DefaultSchema(JavaFieldSchema.class)
public final class Ticket implements Serializable {
  public final String ticketId;
  public final @Nullable String seminarId;
  public final @Nullable String userId;
  public final @Nullable String platform;
  public final long reportedAtMicros;
  public final @Nullable String subject;
  public final String location;

  @SchemaCreate
  public Ticket(String ticketId, @Nullable String seminarId, @Nullable String userId,
      @Nullable String platform, long reportedAtMicros, @Nullable String subject, String location) {
    this.ticketId = ticketId;
    this.seminarId = seminarId;
    this.userId = userId;
    this.platform = platform;
    this.reportedAtMicros = reportedAtMicros;
    this.subject = subject;
    this.location = location;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Ticket)) {
      return false;
    }
    Ticket t = (Ticket) o;
    return ticketId.equals(t.ticketId) && reportedAtMicros == t.reportedAtMicros
        && Objects.equals(seminarId, t.seminarId) && Objects.equals(userId, t.userId)
        && Objects.equals(platform, t.platform) && Objects.equals(subject, t.subject)
        && location.equals(t.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ticketId, reportedAtMicros);
  }

  @Override
  public String toString() {
    return "Ticket " + ticketId + " " + seminarId + "/" + userId + " @" + reportedAtMicros;
  }
}
