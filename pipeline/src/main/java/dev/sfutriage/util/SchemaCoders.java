package dev.sfutriage.util;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;

/** The schema coder of a {@code @DefaultSchema} model type (never Java serialization). */
public final class SchemaCoders {
  private SchemaCoders() {}

  public static <T> Coder<T> of(Pipeline p, Class<T> type) {
    try {
      return p.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(type.getSimpleName() + " has no schema", e);
    }
  }
}
