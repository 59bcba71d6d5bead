package dev.sfutriage.index;

import dev.sfutriage.model.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import dev.sfutriage.util.SortedArrayMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes an index record straight into an {@link Event} (the in-process engine's reader), field by
 * field in {@link IndexFormat#SCHEMA_JSON}'s order, without a {@link GenericRecord} in between; a file
 * written with another schema goes through Avro's schema resolution and {@link IndexFormat#fromRecord}.
 *
 * <p>Every text but the location is taken from a pool of the strings this reader has seen: a
 * partition repeats a few thousand ids, names and attribute keys hundreds of thousands of times, and
 * one copy of each instead of one per event is most of an event's heap (a whole day is held in memory,
 * and the collector copies every live byte of it while it is read).
 */
final class EventDatumReader implements DatumReader<Event> {
  private final Map<Utf8, String> pool = new HashMap<>();
  private final Utf8 scratch = new Utf8();
  private @Nullable GenericDatumReader<GenericRecord> resolving;
  private @Nullable GenericRecord reuse;

  @Override
  public void setSchema(Schema writer) {
    resolving = writer.equals(IndexFormat.schema()) ? null : new GenericDatumReader<>(writer, IndexFormat.schema());
  }

  @Override
  public Event read(@Nullable Event ignored, Decoder in) throws IOException {
    if (resolving != null) {
      reuse = resolving.read(reuse, in);
      return IndexFormat.fromRecord(reuse);
    }
    String source = text(in);
    String name = text(in);
    long device = in.readLong();
    long time = in.readLong();
    String seminar = optionalText(in);
    String session = optionalText(in);
    String user = optionalText(in);
    String platform = optionalText(in);
    int na = 0;
    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
      for (long i = 0; i < n; i++, na++) {
        if (na == keys.length) {
          grow();
        }
        keys[na] = text(in);
        values[na] = text(in);
      }
    }
    SortedArrayMap<String> attrs = SortedArrayMap.owning(java.util.Arrays.copyOf(keys, na), java.util.Arrays.copyOf(values, na), na);
    int nn = 0;
    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
      for (long i = 0; i < n; i++, nn++) {
        if (nn == keys.length) {
          grow();
        }
        keys[nn] = text(in);
        values[nn] = in.readIndex() == 0 ? (Number) in.readLong() : (Number) in.readDouble();
      }
    }
    SortedArrayMap<Number> nums = SortedArrayMap.owning(java.util.Arrays.copyOf(keys, nn), java.util.Arrays.copyOf(values, nn), nn);
    String location = in.readString();
    return Event.decoded(source, name, device, time, seminar, session, user, platform, attrs, nums, location);
  }

  /** A map's keys and values as read (the index writes them sorted), before they are copied to their exact size. */
  private String[] keys = new String[16];
  private Object[] values = new Object[16];

  private void grow() {
    keys = java.util.Arrays.copyOf(keys, keys.length * 2);
    values = java.util.Arrays.copyOf(values, values.length * 2);
  }

  /** A {@code ["null", "string"]} union. */
  private @Nullable String optionalText(Decoder in) throws IOException {
    if (in.readIndex() == 0) {
      in.readNull();
      return null;
    }
    return text(in);
  }

  /** A string, as the pool's one copy of it. */
  private String text(Decoder in) throws IOException {
    Utf8 u = in.readString(scratch);
    String s = pool.get(u);
    if (s == null) {
      s = new String(u.getBytes(), 0, u.getByteLength(), StandardCharsets.UTF_8);
      pool.put(new Utf8(s), s);
    }
    return s;
  }
}
