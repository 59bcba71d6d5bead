package dev.sfutriage.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A record that could not be read: where it came from, why, and (truncated) what it was. */
@DefaultSchema(JavaFieldSchema.class)
public final class DeadLetter implements Serializable {
  /** Raw text is kept short: enough to recognise the record, never a whole 10 MB line. */
  public static final int MAX_RAW_CHARS = 500;

  public final String source;
  public final String location;
  public final String reason;
  public final String raw;

  @SchemaCreate
  public DeadLetter(String source, String location, String reason, String raw) {
    this.source = source;
    this.location = location;
    this.reason = reason;
    this.raw = raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) + "…" : raw;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return source.equals(d.source) && location.equals(d.location) && reason.equals(d.reason)
        && raw.equals(d.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, location, reason);
  }

  @Override
  public String toString() {
    return source + " " + location + ": " + reason;
  }
}
