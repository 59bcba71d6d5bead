package dev.sfutriage.rulecases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sfutriage.util.Json;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One rule case file (README.md beside the case files): events in, expected incidents out.
 *
 * <p>Ids in the file are short and readable (S1, X1, u1). So that many cases can share one pipeline
 * run, {@link #events(String)} prefixes every id (seminar, session, user, job and egress ids) with a per-case tag;
 * {@link #strip} takes it off again before incidents are compared.
 */
final class RuleCase {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> CASE_KEYS = Set.of("description", "guide", "window", "events", "expect", "expect_count");
  private static final Set<String> EVENT_KEYS = Set.of("t", "source", "event", "seminar", "session", "user", "platform", "fields");
  private static final Set<String> EXPECT_KEYS = Set.of("symptom", "cause", "seminar", "session", "user", "first_seen", "last_seen");
  /** Fields that hold an id of the case and get the case tag, like seminar/session/user. */
  private static final Set<String> ID_FIELDS = Set.of("job_id", "egress_id");
  /** More than any wait, lookback or grace of the rules (30 min recording wait + 5 min). */
  private static final long EDGE = 2 * 3600 * 1_000_000L;

  /** e.g. {@code token_fetch_failed/tp_config_missing.yaml}. */
  final String name;
  final String text;
  final String description;
  final DataWindow window;
  final boolean explicitWindow;
  final List<JsonNode> rawEvents;
  final List<Expected> expected;
  final @Nullable Integer expectCount;

  /** An expected incident; a null field was not given in the case and matches anything. */
  record Expected(String symptom, String cause, Opt seminar, Opt session, Opt user,
      @Nullable Long firstSeen, @Nullable Long lastSeen) {
    @Override
    public String toString() {
      return symptom + "/" + cause + " seminar=" + seminar + " session=" + session + " user=" + user
          + (firstSeen == null ? "" : " first_seen=" + iso(firstSeen))
          + (lastSeen == null ? "" : " last_seen=" + iso(lastSeen));
    }
  }

  /** A compared id: not given (any value), given as null (must be absent), or a value. */
  record Opt(boolean given, @Nullable String value) {
    static final Opt ANY = new Opt(false, null);

    boolean accepts(@Nullable String actual) {
      return !given || java.util.Objects.equals(value, actual);
    }

    @Override
    public String toString() {
      return given ? String.valueOf(value) : "*";
    }
  }

  private RuleCase(String name, String text) {
    this.name = name;
    this.text = text;
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": not valid YAML: " + e.getMessage(), e);
    }
    require(root != null && root.isObject(), "the case must be a YAML mapping");
    checkKeys(root, CASE_KEYS, "case");
    this.description = root.path("description").asText("");
    require(!description.isBlank(), "description is required");
    JsonNode events = root.path("events");
    require(events.isArray() && events.size() > 0, "events must be a non-empty list");
    this.rawEvents = new ArrayList<>();
    events.forEach(e -> {
      require(e.isObject(), "every event is a mapping");
      checkKeys(e, EVENT_KEYS, "event");
      for (String k : List.of("t", "source", "event")) {
        require(e.hasNonNull(k), "every event needs " + k + ": " + e);
      }
      require(Sources.ALL.contains(e.get("source").asText()), "unknown source " + e.get("source") + " (one of " + Sources.ALL + ")");
      micros(e.get("t").asText());
      rawEvents.add(e);
    });
    this.window = window(root.path("window"));
    this.explicitWindow = root.hasNonNull("window");
    JsonNode expect = root.path("expect");
    require(expect.isArray(), "expect must be a list (expect: [] when nothing may fire)");
    this.expected = new ArrayList<>();
    expect.forEach(x -> {
      require(x.isObject() && x.hasNonNull("symptom") && x.hasNonNull("cause"), "every expected incident needs symptom and cause: " + x);
      checkKeys(x, EXPECT_KEYS, "expected incident");
      expected.add(new Expected(x.get("symptom").asText(), x.get("cause").asText(), opt(x, "seminar"), opt(x, "session"),
          opt(x, "user"), x.hasNonNull("first_seen") ? micros(x.get("first_seen").asText()) : null,
          x.hasNonNull("last_seen") ? micros(x.get("last_seen").asText()) : null));
    });
    this.expectCount = root.hasNonNull("expect_count") ? root.get("expect_count").asInt() : null;
    require(expectCount == null || expectCount == expected.size(),
        "expect_count " + expectCount + " but expect lists " + expected.size() + " incidents");
  }

  static RuleCase load(Path file, String name) throws IOException {
    return new RuleCase(name, Files.readString(file, StandardCharsets.UTF_8));
  }

  /** True when some event belongs to no seminar (metrics, global backend lines): it could reach other cases. */
  boolean hasGlobalEvents() {
    return rawEvents.stream().anyMatch(e -> !e.hasNonNull("seminar"));
  }

  /**
   * True when the case's outcome may depend on where its window ends (an explicit window, or an
   * event within {@link #EDGE} of the window's edges): such a case runs with exactly its window.
   */
  boolean needsItsOwnWindow() {
    return explicitWindow || rawEvents.stream().map(e -> micros(e.get("t").asText()))
        .anyMatch(t -> t < window.fromMicros + EDGE || t > window.toMicros - EDGE);
  }

  /** The sources the case has events of: the sources its run reads. */
  SortedSet<String> sources() {
    SortedSet<String> out = new TreeSet<>();
    rawEvents.forEach(e -> out.add(e.get("source").asText()));
    return out;
  }

  /** The case's events, every id prefixed with {@code tag}, every time moved by {@code shift} µs. */
  List<Event> events(String tag, long shift) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < rawEvents.size(); i++) {
      JsonNode e = rawEvents.get(i);
      String source = e.get("source").asText();
      String name = e.get("event").asText();
      long t = micros(e.get("t").asText()) + shift;
      Event.Builder b = Event.builder(source, name)
          .seminar(tagged(tag, text(e, "seminar"))).session(tagged(tag, text(e, "session")))
          .user(tagged(tag, text(e, "user"))).platform(text(e, "platform"))
          .location("case:" + this.name + "#" + i);
      Map<String, String> labels = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = e.path("fields").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode v = f.getValue();
        if (v.isNumber()) {
          b.num(f.getKey(), Json.number(v));
        } else if (v.isValueNode() && !v.isNull()) {
          String s = ID_FIELDS.contains(f.getKey()) ? tagged(tag, v.asText()) : v.asText();
          b.attr(f.getKey(), s);
          labels.put(f.getKey(), s);
        } else if (!v.isNull()) {
          throw new IllegalArgumentException(this.name + ": field " + f.getKey() + " must be a number or text, not " + v);
        }
      }
      JsonNode skew = e.path("fields").path("clock_skew_seconds");
      // `t` is the server's time line (what the readers correct to); a clock running ahead
      // recorded what the reader's ClockCorrection would: the device time is t + skew.
      long device = skew.isNumber() && skew.asDouble() > 0 ? t + Math.round(skew.asDouble() * 1e6) : t;
      b.time(device, t);
      if (Sources.METRICS.equals(source)) {
        b.attr("series", name + labels); // as MetricsParser: one series per name + labels
      }
      out.add(b.build());
    }
    return out;
  }

  /** The case id as the file gave it: the tag removed. */
  static @Nullable String strip(String tag, @Nullable String id) {
    return id != null && id.startsWith(tag) ? id.substring(tag.length()) : id;
  }

  private static @Nullable String tagged(String tag, @Nullable String id) {
    return id == null ? null : tag + id;
  }

  private DataWindow window(JsonNode w) {
    if (w.isMissingNode() || w.isNull()) {
      long first = rawEvents.stream().mapToLong(e -> micros(e.get("t").asText())).min().orElseThrow();
      Instant day = Instant.ofEpochSecond(first / 1_000_000L).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
      long from = day.getEpochSecond() * 1_000_000L;
      return new DataWindow(from, from + 24L * 3600 * 1_000_000L);
    }
    require(w.hasNonNull("from") && w.hasNonNull("to"), "window needs from and to");
    return new DataWindow(micros(w.get("from").asText()), micros(w.get("to").asText()));
  }

  private Opt opt(JsonNode x, String key) {
    return x.has(key) ? new Opt(true, x.get(key).isNull() ? null : x.get(key).asText()) : Opt.ANY;
  }

  private void checkKeys(JsonNode node, Set<String> allowed, String what) {
    node.fieldNames().forEachRemaining(k -> require(allowed.contains(k), "unknown " + what + " key '" + k + "' (allowed: " + allowed + ")"));
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + message);
    }
  }

  private static @Nullable String text(JsonNode e, String key) {
    return e.hasNonNull(key) ? e.get(key).asText() : null;
  }

  static long micros(String iso) {
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
  }

  static String iso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L).toString();
  }
}
