package dev.sfutriage.util;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * An index built from a side input once per worker instead of once per element: runners hand out
 * the same materialized side-input object for every element of a task, so the index is rebuilt only
 * when that object changes (by identity).
 */
public final class SideInputIndex<S, I> implements Serializable {
  private final SerializableFunction<S, I> build;
  private transient S source;
  private transient I index;

  public SideInputIndex(SerializableFunction<S, I> build) {
    this.build = build;
  }

  public I of(S sideInput) {
    if (sideInput != source || index == null) {
      index = build.apply(sideInput);
      source = sideInput;
    }
    return index;
  }
}
