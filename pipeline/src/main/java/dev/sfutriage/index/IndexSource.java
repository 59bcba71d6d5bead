package dev.sfutriage.index;

import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.read.Accounting;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A run's --fromIndex: the index folder, its manifest (checked against the run's rules) and the
 * partitions the run reads — an ad-hoc run for a seminar its seminar's, a ticket run its tickets'
 * seminars' and, for a ticket with a user but no seminar, that user's seminars' (the user map,
 * {@link UserMap}), anything else (a re-classification, a user or session across seminars) all of
 * them; always the global and metrics partitions.
 */
public final class IndexSource implements Serializable {
  /** The index folder ({@code <nightly output>/index}), on any Beam file system. */
  public final String dir;
  private final String manifestJson;
  private final @Nullable List<String> partitions;

  private IndexSource(String dir, String manifestJson, @Nullable List<String> partitions) {
    this.dir = dir;
    this.manifestJson = manifestJson;
    this.partitions = partitions;
  }

  /** A bad --fromIndex: one line for the terminal. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Opens and checks the index of a nightly run for these rules (format version, ingest section).
   *
   * @param nightlyOutput the --output folder of the nightly run that wrote the index
   */
  public static IndexSource open(String nightlyOutput, RuleSet rules) {
    String dir = nightlyOutput.replaceAll("/+$", "") + "/" + IndexFormat.DIR;
    String json;
    try (Reader r = Channels.newReader(FileSystems.open(FileSystems.matchNewResource(dir + "/" + IndexFormat.MANIFEST, false)),
        StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      for (int n = r.read(buf); n > 0; n = r.read(buf)) {
        sb.append(buf, 0, n);
      }
      json = sb.toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new Refused("--fromIndex: no index at " + dir + " (" + IndexFormat.MANIFEST + " not readable: a nightly run "
          + "writes it under its --output)");
    }
    IndexManifest manifest;
    try {
      manifest = IndexManifest.parse(Json.MAPPER.readTree(json));
    } catch (IOException e) {
      throw new Refused("--fromIndex: " + dir + "/" + IndexFormat.MANIFEST + " is not JSON");
    }
    String why = manifest.cannotServe(rules.ingest);
    if (why != null) {
      throw new Refused("--fromIndex: " + why);
    }
    return new IndexSource(dir, json, null);
  }

  /** The index's window: a run from it may ask for this window or a part of it, nothing outside. */
  public dev.sfutriage.correlate.@Nullable DataWindow window() {
    return manifest().window();
  }

  /**
   * The partitions this run reads.
   *
   * @param ticketFiles the run's --tickets files, or null
   */
  public IndexSource forRun(RunScope scope, @Nullable List<String> ticketFiles) {
    dev.sfutriage.correlate.DataWindow w = window();
    if (w != null && scope.fromMicros != null && (scope.fromMicros < w.fromMicros || scope.toMicros > w.toMicros)) {
      throw new Refused("--fromIndex: the run's window reaches outside the index's (" + dev.sfutriage.util.Times.iso(w.fromMicros)
          + " – " + dev.sfutriage.util.Times.iso(w.toMicros) + "): run on the raw inputs");
    }
    List<String> parts = null;
    if (scope.seminarId != null) {
      parts = new ArrayList<>(List.of(IndexFormat.seminarPartition(scope.seminarId, manifest().seminarBuckets())));
    } else if (!scope.isAdHoc() && ticketFiles != null) {
      TreeSet<String> needed = ticketPartitions(ticketFiles);
      if (needed != null) {
        parts = new ArrayList<>(needed);
      }
    }
    if (parts != null) {
      parts.add(IndexFormat.GLOBAL);
      parts.add(IndexFormat.METRICS);
    }
    return new IndexSource(dir, manifestJson, parts);
  }

  /**
   * The seminar partitions the tickets need, or null for all: a ticket's seminar's partition, and for a
   * ticket with a user the partitions of the seminars that user is in (the index's user map): a
   * seminar-less crash of the user's is attributed by user and time to the closest of them, so all of
   * them must be read for it to land where it does from the raw files; a user in no seminar adds none
   * (nothing of theirs can be near the ticket). All when a ticket names neither (every seminar's events
   * near its time are its timeline), or one names a user and no seminar and the index has no user map
   * (an index written before it: a ticket with a seminar then reads its seminar's, as before). The
   * tickets are read as the run reads them (TicketParser: the same ids, compared as given); an
   * unreadable row needs no events (its dead letter is its answer).
   */
  private @Nullable TreeSet<String> ticketPartitions(List<String> files) {
    List<Ticket> tickets;
    try {
      tickets = dev.sfutriage.read.ReadInProcess.tickets(files, dead -> {}).records();
    } catch (RuntimeException e) {
      return null; // the run's ticket reader reports it; read everything meanwhile
    }
    TreeSet<String> out = new TreeSet<>();
    TreeSet<String> users = new TreeSet<>();
    boolean userOnly = false;
    int buckets = manifest().seminarBuckets();
    for (Ticket t : tickets) {
      if (t.seminarId == null && t.userId == null) {
        return null;
      }
      if (t.seminarId != null) {
        out.add(IndexFormat.seminarPartition(t.seminarId, buckets));
      }
      if (t.userId != null) {
        users.add(t.userId);
        userOnly |= t.seminarId == null;
      }
    }
    String map = manifest().userMap();
    TreeSet<String> theirs = map == null || users.isEmpty() ? null : UserMap.partitionsOf(dir, map, users);
    if (theirs != null) {
      out.addAll(theirs);
    } else if (userOnly) {
      return null;
    }
    return out;
  }

  private transient @Nullable IndexManifest manifest;

  /** The manifest, parsed once per instance (read only: the window, buckets, user map, sources, accounting). */
  public IndexManifest manifest() {
    if (manifest == null) {
      try {
        manifest = IndexManifest.parse(Json.MAPPER.readTree(manifestJson));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return manifest;
  }

  public boolean readsAll() {
    return partitions == null;
  }

  /** The partitions read, or null for all. */
  public @Nullable List<String> partitions() {
    return partitions == null ? null : List.copyOf(partitions);
  }

  private transient @Nullable List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> files;

  /** The index files this run reads, in a stable order (listed once: the engine choice, the progress line and the read ask). */
  public List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> files() {
    if (files == null) {
      files = List.copyOf(list());
    }
    return files;
  }

  private List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> list() {
    List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> out = new ArrayList<>();
    try {
      for (org.apache.beam.sdk.io.fs.MatchResult m : FileSystems.match(partitionGlobs(),
          org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW)) {
        if (m.status() == org.apache.beam.sdk.io.fs.MatchResult.Status.OK) {
          out.addAll(m.metadata());
        }
      }
    } catch (IOException e) {
      throw new Refused("--fromIndex: cannot list " + dir + ": " + e.getMessage());
    }
    out.sort(java.util.Comparator.comparing(m -> m.resourceId().toString()));
    return out;
  }

  /** The bytes of the index files this run reads. */
  public long bytesToRead() {
    long n = 0;
    for (org.apache.beam.sdk.io.fs.MatchResult.Metadata m : files()) {
      n += m.sizeBytes();
    }
    return n;
  }

  List<String> partitionGlobs() {
    if (partitions == null) {
      return List.of(dir + "/*/*.avro");
    }
    List<String> out = new ArrayList<>();
    for (String p : partitions) {
      out.add(dir + "/" + p + "/*.avro");
    }
    return out;
  }

  /** Where the nightly's webhook job rows came from, as its replay.sql named it. */
  public String webhookJobsExport() {
    String from = manifest().json.path("webhook_jobs_export").asText("");
    return from.isEmpty() ? "the export the nightly run of " + dir + " read" : from;
  }

  /** The sources the nightly read (given to the report as this run's sources). */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    for (String s : manifest().sources()) {
      if (!Sources.TICKETS.equals(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The nightly's accounting without its "used" (this run counts what it uses); when not every
   * partition is read, the nightly's used as {@link ReadIndex#NOT_READ}, which each event read takes back.
   */
  List<KV<String, Long>> accounting(boolean partial) {
    List<KV<String, Long>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = manifest().json.path("accounting").fields();
        it.hasNext(); ) {
      Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
      String src = e.getKey();
      if (Sources.TICKETS.equals(src)) {
        continue;
      }
      com.fasterxml.jackson.databind.JsonNode a = e.getValue();
      out.add(KV.of(Accounting.key(src, Accounting.READ, null), a.path("read").asLong()));
      out.add(KV.of(Accounting.key(src, Accounting.DEAD_LETTERED, null), a.path("dead_lettered").asLong()));
      out.add(KV.of(Accounting.key(src, Accounting.DUPLICATES, null), a.path("duplicates").asLong()));
      a.path("filtered_by_reason").fields().forEachRemaining(r ->
          out.add(KV.of(Accounting.key(src, Accounting.FILTERED, r.getKey()), r.getValue().asLong())));
      if (partial) {
        out.add(KV.of(Accounting.key(src, Accounting.FILTERED, ReadIndex.NOT_READ), a.path("used").asLong()));
      }
    }
    return out;
  }
}
