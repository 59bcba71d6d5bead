package dev.sfutriage.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The compact wire form of an {@link Event}: a null mask, var-ints, length-prefixed UTF-8 and raw
 * doubles, written field by field (no Row conversion, no Java serialization). Every shuffle and
 * every copy between operators pays this, so it is kept small and fast; attribute maps are already
 * sorted, so the encoding is deterministic and a valid dedupe/grouping key.
 */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  private EventCoder() {}

  public static EventCoder of() {
    return INSTANCE;
  }

  /** What {@code @DefaultCoder(EventCoder.class)} on {@link Event} looks up. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Event.class), INSTANCE);
  }

  @Override
  public void encode(Event e, OutputStream out) throws IOException {
    if (e == null) {
      throw new CoderException("cannot encode a null Event");
    }
    int nulls = (e.seminarId == null ? 1 : 0) | (e.sessionId == null ? 2 : 0) | (e.userId == null ? 4 : 0)
        | (e.platform == null ? 8 : 0);
    out.write(nulls);
    STRING.encode(e.source, out);
    STRING.encode(e.name, out);
    VarInt.encode(e.deviceTimeMicros, out);
    VarInt.encode(e.timeMicros - e.deviceTimeMicros, out);
    writeNullable(e.seminarId, out);
    writeNullable(e.sessionId, out);
    writeNullable(e.userId, out);
    writeNullable(e.platform, out);
    VarInt.encode(e.attrs.size(), out);
    for (Map.Entry<String, String> a : e.attrs.entrySet()) {
      STRING.encode(a.getKey(), out);
      STRING.encode(a.getValue(), out);
    }
    VarInt.encode(e.nums.size(), out);
    for (Map.Entry<String, Double> n : e.nums.entrySet()) {
      STRING.encode(n.getKey(), out);
      DOUBLE.encode(n.getValue(), out);
    }
    STRING.encode(e.location, out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    int nulls = in.read();
    if (nulls < 0) {
      throw new CoderException("truncated Event");
    }
    String source = STRING.decode(in);
    String name = STRING.decode(in);
    long device = VarInt.decodeLong(in);
    long time = device + VarInt.decodeLong(in);
    String seminar = (nulls & 1) != 0 ? null : STRING.decode(in);
    String session = (nulls & 2) != 0 ? null : STRING.decode(in);
    String user = (nulls & 4) != 0 ? null : STRING.decode(in);
    String platform = (nulls & 8) != 0 ? null : STRING.decode(in);
    TreeMap<String, String> attrs = new TreeMap<>();
    for (int i = VarInt.decodeInt(in); i > 0; i--) {
      attrs.put(STRING.decode(in), STRING.decode(in));
    }
    TreeMap<String, Double> nums = new TreeMap<>();
    for (int i = VarInt.decodeInt(in); i > 0; i--) {
      nums.put(STRING.decode(in), DOUBLE.decode(in));
    }
    return Event.decoded(source, name, device, time, seminar, session, user, platform, attrs, nums, STRING.decode(in));
  }

  private static void writeNullable(String s, OutputStream out) throws IOException {
    if (s != null) {
      STRING.encode(s, out);
    }
  }

  @Override
  public void verifyDeterministic() {
    // field order is fixed and both maps are sorted
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
