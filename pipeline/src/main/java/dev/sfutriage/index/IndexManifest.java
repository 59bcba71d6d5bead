package dev.sfutriage.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.read.IngestConfig;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.util.Fingerprint;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The index's manifest.json: format version, window, rules file (name, sha256) and its ingest section
 * (what the readers kept: an index holds nothing else), the sources and their accounting (read, dead
 * lettered, duplicates, filtered by reason, used = the events in the index), the seminar buckets and
 * (since the user map) {@code user_map}: its file and number of users. A manifest without
 * {@code user_map} is of the same format version: a run reads all partitions for a user then.
 */
public final class IndexManifest {
  public final JsonNode json;

  private IndexManifest(JsonNode json) {
    this.json = json;
  }

  public static IndexManifest parse(JsonNode json) {
    return new IndexManifest(json);
  }

  /** The manifest of the run that wrote the index, from its summary's accounting. */
  /**
   * @param webhookJobsExport where the nightly's job rows came from (replay.sql's header of a run from
   *     the index names the same export), or null
   */
  public static IndexManifest of(RuleSet rules, @Nullable DataWindow window, Iterable<String> sources, JsonNode summarySources,
      @Nullable String webhookJobsExport) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("format_version", IndexFormat.VERSION);
    m.put("format", "avro");
    ObjectNode w = m.putObject("window");
    if (window != null) {
      w.put("from_micros", window.fromMicros);
      w.put("to_micros", window.toMicros);
    }
    m.put("rules", Path.of(rules.origin).getFileName().toString());
    m.put("rules_sha256", rulesSha256(rules));
    m.set("ingest", ingest(rules.ingest));
    m.put("ingest_sha256", Fingerprint.sha256(ingest(rules.ingest).toString()));
    ArrayNode src = m.putArray("sources");
    sources.forEach(src::add);
    if (webhookJobsExport != null) {
      m.put("webhook_jobs_export", webhookJobsExport);
    }
    ObjectNode acc = m.putObject("accounting");
    for (Iterator<Map.Entry<String, JsonNode>> it = summarySources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ObjectNode a = acc.putObject(e.getKey());
      for (String k : List.of("read", "dead_lettered", "duplicates", "filtered", "used")) {
        a.put(k, e.getValue().path(k).asLong());
      }
      a.set("filtered_by_reason", e.getValue().path("filtered_by_reason").deepCopy());
    }
    m.put("seminar_buckets", IndexFormat.SEMINAR_BUCKETS);
    m.putArray("partitions").add(IndexFormat.partitionName(0, IndexFormat.SEMINAR_BUCKETS) + " … "
        + IndexFormat.partitionName(IndexFormat.SEMINAR_BUCKETS - 1, IndexFormat.SEMINAR_BUCKETS) + ": hash bucket of seminar_id")
        .add(IndexFormat.GLOBAL + ": events without seminar").add(IndexFormat.METRICS + ": metric samples");
    return new IndexManifest(m);
  }

  static ObjectNode ingest(IngestConfig ingest) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    ObjectNode keep = n.putObject("keep_events");
    new TreeMap<>(ingest.keepEvents()).forEach((s, globs) -> {
      ArrayNode a = keep.putArray(s);
      globs.stream().sorted().forEach(a::add);
    });
    ArrayNode paths = n.putArray("keep_http_paths");
    ingest.keepHttpPaths().stream().sorted().forEach(paths::add);
    n.put("clock_skew_tolerance_micros", ingest.clockSkewToleranceMicros);
    n.put("room_name_pattern", ingest.roomNamePattern);
    return n;
  }

  /** The sha256 of the rules file's bytes (the built-in rules: of the resource). */
  static String rulesSha256(RuleSet rules) {
    try {
      Path p = Path.of(rules.origin);
      byte[] bytes;
      if (Files.isRegularFile(p)) {
        bytes = Files.readAllBytes(p);
      } else {
        try (InputStream in = dev.sfutriage.rules.RulesLoader.class.getResourceAsStream("/" + p.getFileName())) {
          bytes = in == null ? rules.origin.getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
      }
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
        hex.append(String.format(java.util.Locale.ROOT, "%02x", b));
      }
      return hex.toString();
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the rules file " + rules.origin, e);
    }
  }

  /** This manifest naming the index's user map ({@link UserMap}) and how many users it lists. */
  IndexManifest withUserMap(String file, long users) {
    ObjectNode m = json.deepCopy();
    ObjectNode u = m.putObject("user_map");
    u.put("file", file);
    u.put("users", users);
    u.put("format", "one line per user: user_id TAB its seminar partitions, space-separated; sorted by user_id");
    return new IndexManifest(m);
  }

  /** The file of the index's user map, or null when the index has none (written before it existed). */
  public @Nullable String userMap() {
    String f = json.path("user_map").path("file").asText("");
    return f.isEmpty() || f.contains("/") ? null : f;
  }

  /** How many seminar partitions the index has (an index written before this field: 64). */
  public int seminarBuckets() {
    int n = json.path("seminar_buckets").asInt(IndexFormat.FIRST_SEMINAR_BUCKETS);
    return n > 0 ? n : IndexFormat.FIRST_SEMINAR_BUCKETS;
  }

  public int version() {
    return json.path("format_version").asInt(-1);
  }

  public @Nullable DataWindow window() {
    JsonNode w = json.path("window");
    return w.has("from_micros") ? new DataWindow(w.get("from_micros").asLong(), w.get("to_micros").asLong()) : null;
  }

  public List<String> sources() {
    List<String> out = new ArrayList<>();
    json.path("sources").forEach(s -> out.add(s.asText()));
    return out;
  }

  /**
   * Why the index cannot answer for these rules, or null: it holds only what its rules' ingest kept,
   * so the current rules may keep the same or less (same clock tolerance and room-name pattern, every
   * event glob and HTTP path covered by one of the index's), never more.
   */
  public @Nullable String cannotServe(IngestConfig now) {
    if (version() != IndexFormat.VERSION) {
      return "index format version " + version() + ", this build reads version " + IndexFormat.VERSION
          + ": run the nightly again to rebuild it";
    }
    JsonNode was = json.path("ingest");
    if (was.path("clock_skew_tolerance_micros").asLong() != now.clockSkewToleranceMicros
        || !was.path("room_name_pattern").asText().equals(now.roomNamePattern)) {
      return "the rules' clock-skew tolerance or room-name pattern differs from the index's (" + json.path("rules").asText()
          + "): the indexed events were corrected and attributed with the old ones; run on the raw inputs";
    }
    for (String source : dev.sfutriage.model.Sources.ALL) {
      JsonNode old = was.path("keep_events").get(source);
      List<String> wanted = now.keepEvents().get(source);
      if (old == null) {
        continue; // the index kept every event of the source
      }
      List<String> had = new ArrayList<>();
      old.forEach(g -> had.add(g.asText()));
      for (String g : wanted == null ? List.of("*") : wanted) {
        if (had.stream().noneMatch(h -> covers(h, g))) {
          return "the rules keep " + source + " events '" + g + "' that the index's ingest (" + json.path("rules").asText()
              + ") did not keep: run on the raw inputs";
        }
      }
    }
    List<String> hadPaths = new ArrayList<>();
    was.path("keep_http_paths").forEach(p -> hadPaths.add(p.asText()));
    for (String p : now.keepHttpPaths()) {
      if (hadPaths.stream().noneMatch(p::startsWith)) {
        return "the rules keep HTTP path '" + p + "' that the index's ingest did not keep: run on the raw inputs";
      }
    }
    return null;
  }

  /** Whether event-name glob {@code had} matches every name that {@code wanted} matches. */
  static boolean covers(String had, String wanted) {
    if (had.equals("*") || had.equals(wanted)) {
      return true;
    }
    if (!had.endsWith("*")) {
      return false;
    }
    String prefix = had.substring(0, had.length() - 1);
    return wanted.startsWith(prefix);
  }
}
