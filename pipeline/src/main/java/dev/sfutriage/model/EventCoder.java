package dev.sfutriage.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import dev.sfutriage.util.SortedArrayMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The compact wire form of an {@link Event}: a var-int length, then a null mask, var-ints,
 * length-prefixed UTF-8 and raw doubles, field by field (no Row conversion, no Java serialization).
 * The body is built in a per-thread buffer and written, or read, in one call: runners hand coders
 * streams whose per-byte calls are expensive (Flink's view wrappers), and every shuffle pays this.
 * Attribute maps are sorted, so the encoding is deterministic.
 */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();
  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);
  /** The type tag before each numeric attribute. */
  private static final int DOUBLE = 0;
  private static final int LONG = 1;

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
    Buffer b = BUFFERS.get();
    b.len = 0;
    b.put((e.seminarId == null ? 1 : 0) | (e.sessionId == null ? 2 : 0) | (e.userId == null ? 4 : 0)
        | (e.platform == null ? 8 : 0));
    b.string(e.source);
    b.string(e.name);
    b.varLong(e.deviceTimeMicros);
    b.varLong(e.timeMicros - e.deviceTimeMicros);
    b.nullable(e.seminarId);
    b.nullable(e.sessionId);
    b.nullable(e.userId);
    b.nullable(e.platform);
    b.varLong(e.attrs.size());
    for (Map.Entry<String, String> a : e.attrs.entrySet()) {
      b.string(a.getKey());
      b.string(a.getValue());
    }
    b.varLong(e.nums.size());
    for (Map.Entry<String, Number> n : e.nums.entrySet()) {
      b.string(n.getKey());
      if (n.getValue() instanceof Long) {
        b.put(LONG);
        b.varLong(n.getValue().longValue());
      } else {
        b.put(DOUBLE);
        b.fixedLong(Double.doubleToLongBits(n.getValue().doubleValue()));
      }
    }
    b.string(e.location);
    VarInt.encode(b.len, out);
    out.write(b.bytes, 0, b.len);
  }

  /** A map's entry count as encoded: no more than the body's bytes (each entry takes two at least). */
  private static int count(long n, int len) throws CoderException {
    if (n < 0 || n > len) {
      throw new CoderException("bad map size " + n + " in an Event of " + len + " bytes");
    }
    return (int) n;
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    int len;
    try {
      len = VarInt.decodeInt(in);
    } catch (EOFException ex) {
      throw new CoderException("truncated Event", ex);
    }
    if (len < 0) {
      throw new CoderException("bad Event length " + len);
    }
    Buffer b = BUFFERS.get();
    b.fill(in, len);
    int nulls = b.get();
    String source = b.string();
    String name = b.string();
    long device = b.varLong();
    long time = device + b.varLong();
    String seminar = (nulls & 1) != 0 ? null : b.string();
    String session = (nulls & 2) != 0 ? null : b.string();
    String user = (nulls & 4) != 0 ? null : b.string();
    String platform = (nulls & 8) != 0 ? null : b.string();
    int na = count(b.varLong(), len);
    String[] attrKeys = new String[na];
    Object[] attrValues = new Object[na];
    for (int i = 0; i < na; i++) {
      attrKeys[i] = b.string();
      attrValues[i] = b.string();
    }
    int nn = count(b.varLong(), len);
    String[] numKeys = new String[nn];
    Object[] numValues = new Object[nn];
    for (int i = 0; i < nn; i++) {
      String key = b.string();
      int type = b.get();
      numKeys[i] = key;
      if (type == LONG) {
        numValues[i] = b.varLong();
      } else if (type == DOUBLE) {
        numValues[i] = Double.longBitsToDouble(b.fixedLong());
      } else {
        throw new CoderException("bad number type " + type + " for " + key);
      }
    }
    SortedArrayMap<String> attrs = SortedArrayMap.owning(attrKeys, attrValues, na);
    SortedArrayMap<Number> nums = SortedArrayMap.owning(numKeys, numValues, nn);
    String location = b.string();
    if (b.pos != len) {
      throw new CoderException("Event body has " + (len - b.pos) + " unread bytes");
    }
    return Event.decoded(source, name, device, time, seminar, session, user, platform, attrs, nums, location);
  }

  @Override
  public void verifyDeterministic() {
    // field order is fixed and both maps are sorted
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  /** A growable byte array with a cursor: the encoder writes it, the decoder reads it. */
  private static final class Buffer {
    byte[] bytes = new byte[1024];
    int len;
    int pos;

    void fill(InputStream in, int n) throws IOException {
      ensure(n);
      int read = 0;
      while (read < n) {
        int r = in.read(bytes, read, n - read);
        if (r < 0) {
          throw new CoderException("truncated Event: " + read + " of " + n + " bytes");
        }
        read += r;
      }
      len = n;
      pos = 0;
    }

    private void ensure(int capacity) {
      if (capacity > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
      }
    }

    void put(int b) {
      ensure(len + 1);
      bytes[len++] = (byte) b;
    }

    void varLong(long v) {
      ensure(len + 10);
      while ((v & ~0x7FL) != 0) {
        bytes[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[len++] = (byte) v;
    }

    void fixedLong(long v) {
      ensure(len + 8);
      for (int s = 56; s >= 0; s -= 8) {
        bytes[len++] = (byte) (v >>> s);
      }
    }

    void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varLong(utf8.length);
      ensure(len + utf8.length);
      System.arraycopy(utf8, 0, bytes, len, utf8.length);
      len += utf8.length;
    }

    void nullable(String s) {
      if (s != null) {
        string(s);
      }
    }

    int get() throws CoderException {
      need(1);
      return bytes[pos++] & 0xFF;
    }

    long varLong() throws CoderException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = get();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new CoderException("bad var-int in Event");
    }

    long fixedLong() throws CoderException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[pos++] & 0xFF);
      }
      return v;
    }

    String string() throws CoderException {
      long n = varLong();
      if (n < 0 || n > len - pos) {
        throw new CoderException("bad string length " + n + " in Event");
      }
      String s = new String(bytes, pos, (int) n, StandardCharsets.UTF_8);
      pos += (int) n;
      return s;
    }

    private void need(int n) throws CoderException {
      if (pos + n > len) {
        throw new CoderException("truncated Event body");
      }
    }
  }
}
