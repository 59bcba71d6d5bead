package dev.sfutriage.rules;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One ordered case of a symptom: first match wins; no {@code when} means always. */
public final class Cause implements Serializable {
  public final String id;
  public final String severity;
  public final @Nullable Condition when;
  public final String summary;
  public final String resolution;

  Cause(String id, String severity, @Nullable Condition when, String summary, String resolution) {
    this.id = id;
    this.severity = severity;
    this.when = when;
    this.summary = summary;
    this.resolution = resolution;
  }
}
