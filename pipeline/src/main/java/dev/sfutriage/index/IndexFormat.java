package dev.sfutriage.index;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.GroupIntoBuckets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The index's on-disk form (format {@link #VERSION}): one Avro record per event as the readers made
 * it (filtered, deduplicated, clock-corrected, seminar and session from the room name), in partitions:
 * {@code s<NNN>} (a hash bucket of the seminar id, {@link #SEMINAR_BUCKETS} of them), {@code global}
 * (events without seminar) and {@code metrics} (Prometheus samples). The correlation stage runs again on
 * what is read, exactly as on raw inputs, so an ad-hoc run attributes as its raw twin would.
 */
public final class IndexFormat {
  /** Bumped on any change of schema, partitioning or meaning; a reader refuses any other. */
  public static final int VERSION = 1;
  /**
   * Seminar partitions an index is written with. 256: a day of 50 000 seminars (767 MB of index) gives
   * partitions of ~3 MB, so ten tickets read ~30 MB of it in process rather than ~120 MB on the runner;
   * a 10 M-record day's 48 MB gives ~190 KB each. A reader takes the number from the manifest
   * ({@code seminar_buckets}); an index without it was written with {@link #FIRST_SEMINAR_BUCKETS}.
   */
  public static final int SEMINAR_BUCKETS = 256;
  /** The seminar partitions of the indexes written before {@code seminar_buckets} could differ. */
  public static final int FIRST_SEMINAR_BUCKETS = 64;
  public static final String GLOBAL = "global";
  public static final String METRICS = "metrics";
  public static final String DIR = "index";
  public static final String MANIFEST = "manifest.json";
  /**
   * The user → seminar-partitions map ({@link UserMap}), beside the manifest, which names it under
   * {@code user_map}; an index without one (written before it existed) is read in full for a user.
   */
  public static final String USER_MAP = "users.tsv";

  static final String SCHEMA_JSON = """
      {"type": "record", "name": "Event", "namespace": "dev.sfutriage.index", "fields": [
        {"name": "source", "type": "string"},
        {"name": "name", "type": "string"},
        {"name": "device_time_micros", "type": "long"},
        {"name": "time_micros", "type": "long"},
        {"name": "seminar_id", "type": ["null", "string"], "default": null},
        {"name": "session_id", "type": ["null", "string"], "default": null},
        {"name": "user_id", "type": ["null", "string"], "default": null},
        {"name": "platform", "type": ["null", "string"], "default": null},
        {"name": "attrs", "type": {"type": "map", "values": "string"}},
        {"name": "nums", "type": {"type": "map", "values": ["long", "double"]}},
        {"name": "location", "type": "string"}
      ]}""";

  private static @Nullable Schema schema;

  private IndexFormat() {}

  public static synchronized Schema schema() {
    if (schema == null) {
      schema = new Schema.Parser().parse(SCHEMA_JSON);
    }
    return schema;
  }

  /** The partition an event is stored in. */
  public static String partition(Event e) {
    if (Sources.METRICS.equals(e.source)) {
      return METRICS;
    }
    return e.seminarId == null ? GLOBAL : seminarPartition(e.seminarId);
  }

  public static String seminarPartition(String seminarId) {
    return SEMINAR_PARTITIONS[GroupIntoBuckets.bucket(seminarId, SEMINAR_BUCKETS)];
  }

  /** The partition of a seminar in an index of {@code buckets} seminar partitions (its manifest's seminar_buckets). */
  public static String seminarPartition(String seminarId, int buckets) {
    return buckets == SEMINAR_BUCKETS ? seminarPartition(seminarId) : partitionName(GroupIntoBuckets.bucket(seminarId, buckets), buckets);
  }

  /** {@code s} and the bucket, zero-padded to the width of the largest (s00…s63, s000…s255). */
  static String partitionName(int bucket, int buckets) {
    int width = Math.max(2, Integer.toString(buckets - 1).length());
    return String.format(java.util.Locale.ROOT, "s%0" + width + "d", bucket);
  }

  /** The seminar partitions' names, formatted once rather than per event. */
  private static final String[] SEMINAR_PARTITIONS = new String[SEMINAR_BUCKETS];

  static {
    for (int i = 0; i < SEMINAR_BUCKETS; i++) {
      SEMINAR_PARTITIONS[i] = partitionName(i, SEMINAR_BUCKETS);
    }
  }

  public static GenericRecord toRecord(Event e) {
    GenericRecord r = new GenericData.Record(schema());
    r.put("source", e.source);
    r.put("name", e.name);
    r.put("device_time_micros", e.deviceTimeMicros);
    r.put("time_micros", e.timeMicros);
    r.put("seminar_id", e.seminarId);
    r.put("session_id", e.sessionId);
    r.put("user_id", e.userId);
    r.put("platform", e.platform);
    r.put("attrs", new TreeMap<>(e.attrs));
    r.put("nums", new TreeMap<>(e.nums));
    r.put("location", e.location);
    return r;
  }

  public static Event fromRecord(GenericRecord r) {
    Map<String, String> attrs = new TreeMap<>();
    ((Map<?, ?>) r.get("attrs")).forEach((k, v) -> attrs.put(k.toString(), v.toString()));
    Map<String, Number> nums = new TreeMap<>();
    ((Map<?, ?>) r.get("nums")).forEach((k, v) -> nums.put(k.toString(), (Number) v));
    return new Event(text(r, "source"), text(r, "name"), (Long) r.get("device_time_micros"), (Long) r.get("time_micros"),
        text(r, "seminar_id"), text(r, "session_id"), text(r, "user_id"), text(r, "platform"), attrs, nums,
        text(r, "location"));
  }

  private static @Nullable String text(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }
}
