package dev.sfutriage.model;

import dev.sfutriage.util.Numbers;
import dev.sfutriage.util.SortedArrayMap;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one normalized event every source maps into, once, at the edge (the readers).
 *
 * <p>Times are microseconds since the epoch. {@code deviceTimeMicros} is what the record says;
 * {@code timeMicros} is the corrected time every join and window uses (equal to the device time
 * unless the record's own server-side information shows the device clock was off).
 *
 * <p>Encoded by {@link EventCoder}, a hand-written compact coder: events are the bulk of every
 * shuffle, and a schema Row round trip per copy cost more than the parsing (docs/BENCHMARKS.md).
 */
@DefaultCoder(EventCoder.class)
public final class Event implements Serializable {
  public final String source;
  public final String name;
  public final long deviceTimeMicros;
  public final long timeMicros;
  public final @Nullable String seminarId;
  public final @Nullable String sessionId;
  public final @Nullable String userId;
  public final @Nullable String platform;
  /** Text attributes (error strings, states, paths, labels...). */
  public final Map<String, String> attrs;
  /**
   * Numeric attributes (status codes, counts, ttl, metric values, clock skew...): a {@link Long} for
   * an integer as it was read (INT64 keeps every digit, outputs print it without a fraction), a
   * {@link Double} otherwise.
   */
  public final Map<String, Number> nums;
  /** Where the record came from: {@code file:line} or {@code table/row id}. */
  public final String location;

  public Event(
      String source,
      String name,
      long deviceTimeMicros,
      long timeMicros,
      @Nullable String seminarId,
      @Nullable String sessionId,
      @Nullable String userId,
      @Nullable String platform,
      Map<String, String> attrs,
      Map<String, Number> nums,
      String location) {
    this(source, name, deviceTimeMicros, timeMicros, seminarId, sessionId, userId, platform,
        SortedArrayMap.copyOf(attrs), SortedArrayMap.copyOf(nums), location, true);
  }

  /** From a decoder (EventCoder, the index's reader): the maps are made for the new event. */
  public static Event decoded(String source, String name, long deviceTimeMicros, long timeMicros, @Nullable String seminarId,
      @Nullable String sessionId, @Nullable String userId, @Nullable String platform, SortedArrayMap<String> attrs,
      SortedArrayMap<Number> nums, String location) {
    return new Event(source, name, deviceTimeMicros, timeMicros, seminarId, sessionId, userId, platform, attrs, nums,
        location, true);
  }

  private Event(String source, String name, long deviceTimeMicros, long timeMicros, @Nullable String seminarId,
      @Nullable String sessionId, @Nullable String userId, @Nullable String platform, Map<String, String> attrs,
      Map<String, Number> nums, String location, boolean mapsAreSortedUnmodifiableCopies) {
    this.source = source;
    this.name = name;
    this.deviceTimeMicros = deviceTimeMicros;
    this.timeMicros = timeMicros;
    this.seminarId = seminarId;
    this.sessionId = sessionId;
    this.userId = userId;
    this.platform = platform;
    this.attrs = attrs;
    this.nums = nums;
    this.location = location;
  }

  public static Builder builder(String source, String name) {
    return new Builder(source, name);
  }

  public Builder toBuilder() {
    Builder b = new Builder(source, name);
    b.deviceTimeMicros = deviceTimeMicros;
    b.timeMicros = timeMicros;
    b.seminarId = seminarId;
    b.sessionId = sessionId;
    b.userId = userId;
    b.platform = platform;
    b.attrs.putAll(attrs);
    b.nums.putAll(nums);
    b.location = location;
    return b;
  }

  /**
   * This event placed in another seminar and session, with one text attribute more (the correlation
   * stage's attribution): what {@code toBuilder().seminar(..).session(..).attr(..).build()} gives, with
   * one copy of the text attributes instead of four map copies, the numbers shared (they cannot change).
   */
  public Event attributed(@Nullable String seminar, @Nullable String session, String key, String value) {
    return new Event(source, name, deviceTimeMicros, timeMicros, Builder.blankToNull(seminar), Builder.blankToNull(session),
        userId, platform, SortedArrayMap.copyOf(attrs).with(key, value), nums, location, true);
  }

  public @Nullable String attr(String key) {
    return attrs.get(key);
  }

  /** The value as a double, for comparisons and arithmetic. */
  public @Nullable Double num(String key) {
    Number n = nums.get(key);
    return n == null ? null : n.doubleValue();
  }

  /** The value as read: a {@link Long} or a {@link Double}. */
  public @Nullable Number number(String key) {
    return nums.get(key);
  }

  /** Seminar-level events have no session; global events have no seminar. */
  public boolean isGlobal() {
    return seminarId == null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return deviceTimeMicros == e.deviceTimeMicros
        && timeMicros == e.timeMicros
        && source.equals(e.source)
        && name.equals(e.name)
        && Objects.equals(seminarId, e.seminarId)
        && Objects.equals(sessionId, e.sessionId)
        && Objects.equals(userId, e.userId)
        && Objects.equals(platform, e.platform)
        && attrs.equals(e.attrs)
        && nums.equals(e.nums)
        && location.equals(e.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, name, timeMicros, seminarId, sessionId, userId, location);
  }

  @Override
  public String toString() {
    return source + "/" + name + "@" + timeMicros + "[" + seminarId + "," + sessionId + "," + userId
        + "," + platform + "] " + attrs + " " + nums + " (" + location + ")";
  }

  /** Mutable builder used by the readers and the correlation stage. */
  public static final class Builder {
    private final String source;
    private final String name;
    private long deviceTimeMicros;
    private long timeMicros;
    private @Nullable String seminarId;
    private @Nullable String sessionId;
    private @Nullable String userId;
    private @Nullable String platform;
    private final Map<String, String> attrs = new TreeMap<>();
    private final Map<String, Number> nums = new TreeMap<>();
    private String location = "";

    private Builder(String source, String name) {
      this.source = source;
      this.name = name;
    }

    public Builder time(long deviceMicros, long correctedMicros) {
      this.deviceTimeMicros = deviceMicros;
      this.timeMicros = correctedMicros;
      return this;
    }

    public Builder time(long micros) {
      return time(micros, micros);
    }

    public Builder seminar(@Nullable String v) {
      this.seminarId = blankToNull(v);
      return this;
    }

    public Builder session(@Nullable String v) {
      this.sessionId = blankToNull(v);
      return this;
    }

    public Builder user(@Nullable String v) {
      this.userId = blankToNull(v);
      return this;
    }

    public Builder platform(@Nullable String v) {
      String p = blankToNull(v);
      this.platform = p == null ? null : Platforms.normalize(p);
      return this;
    }

    public Builder attr(String key, @Nullable String value) {
      if (value != null) {
        attrs.put(key, value);
      }
      return this;
    }

    /** An integer type is kept as a {@link Long}, anything else as a {@link Double}; NaN is left out. */
    public Builder num(String key, @Nullable Number value) {
      Number n = Numbers.canonical(value);
      if (n != null) {
        nums.put(key, n);
      }
      return this;
    }

    public Builder location(String v) {
      this.location = v;
      return this;
    }

    public @Nullable String seminarId() {
      return seminarId;
    }

    public @Nullable String userId() {
      return userId;
    }

    public Event build() {
      return new Event(source, name, deviceTimeMicros, timeMicros, seminarId, sessionId, userId,
          platform, attrs, nums, location);
    }

    private static @Nullable String blankToNull(@Nullable String v) {
      return v == null || v.isBlank() ? null : v;
    }
  }
}
