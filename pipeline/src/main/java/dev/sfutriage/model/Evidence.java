package dev.sfutriage.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One line of an incident's evidence: which source said what, when (corrected time), and a short detail. */
@DefaultSchema(JavaFieldSchema.class)
public final class Evidence implements Serializable, Comparable<Evidence> {
  public final String source;
  public final long timeMicros;
  public final String event;
  public final String detail;
  public final String location;

  @SchemaCreate
  public Evidence(String source, long timeMicros, String event, String detail, String location) {
    this.source = source;
    this.timeMicros = timeMicros;
    this.event = event;
    this.detail = detail;
    this.location = location;
  }

  @Override
  public int compareTo(Evidence o) {
    int c = Long.compare(timeMicros, o.timeMicros);
    if (c == 0) {
      c = source.compareTo(o.source);
    }
    if (c == 0) {
      c = event.compareTo(o.event);
    }
    if (c == 0) {
      c = location.compareTo(o.location);
    }
    return c == 0 ? detail.compareTo(o.detail) : c;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Evidence && compareTo((Evidence) o) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, timeMicros, event, location);
  }
}
