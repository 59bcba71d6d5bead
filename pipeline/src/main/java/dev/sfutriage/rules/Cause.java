package dev.sfutriage.rules;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One ordered case of a symptom: first match wins; no {@code when} means always. */
public final class Cause implements Serializable {
  public final String id;
  public final String severity;
  public final @Nullable Condition when;
  /** Conditions whose events are shown as evidence when they hold; they do not decide. */
  public final List<Condition> show;
  public final String summary;
  public final String resolution;
  /**
   * A root cause participants share (a backend outage, a room never created): the incidents of this
   * cause in one session and span form one problem.
   */
  public final boolean shared;
  /**
   * The sources this cause needs to be decided: those its {@code when} names, plus its explicit
   * {@code needs}. Without one of them (not given, or no record in the window) the cause is not
   * concluded (its conditions about that source are UNKNOWN). Empty for the last, unconditional cause.
   */
  public final java.util.SortedSet<String> needs;

  Cause(String id, String severity, @Nullable Condition when, List<Condition> show, String summary, String resolution,
      boolean shared) {
    this.id = id;
    this.severity = severity;
    this.when = when;
    this.show = List.copyOf(show);
    this.summary = summary;
    this.resolution = resolution;
    this.shared = shared;
    java.util.TreeSet<String> n = new java.util.TreeSet<>();
    if (when != null) {
      when.sources(n);
    }
    this.needs = java.util.Collections.unmodifiableSortedSet(n);
  }
}
