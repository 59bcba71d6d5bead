package dev.sfutriage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process read of an index: its direct decoder gives the events Avro's generic reader and
 * {@link IndexFormat#fromRecord} give (nulls, longs and doubles, non-ASCII text), and reading the
 * partitions on several threads gives every event, in the same order, with the same counts, as on one.
 */
class ReadIndexInProcessTest {
  static final RuleSet RULES = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})");
  static final long DAY = 1_795_392_000_000_000L;

  @TempDir Path tmp;

  @Test
  void theDirectDecoderGivesWhatTheGenericReaderGives() throws IOException {
    String nightly = index(events(400));
    for (Path file : partitionFiles(nightly)) {
      assertEquals(generic(file), direct(file, new EventDatumReader()), file.toString());
    }
  }

  @Test
  void manyPartitionsOnManyThreadsGiveEveryEventInPartitionOrder() throws IOException {
    List<Event> written = events(3000);
    IndexSource index = IndexSource.open(index(written), RULES);
    assertTrue(index.files().size() > 40, "partitions: " + index.files().size());

    ReadIndex.Read one = ReadIndex.inProcess(index, RunScope.everything(), 1);
    // what one thread reads: the partitions in file order, each in its written order
    List<Event> expected = new ArrayList<>();
    for (Path file : partitionFiles(index.dir)) {
      expected.addAll(generic(file));
    }
    assertEquals(written.size(), one.events().size());
    assertEquals(expected, one.events());
    for (int threads : new int[] {2, 3, 8, 64}) {
      for (int repeat = 0; repeat < 3; repeat++) {
        ReadIndex.Read many = ReadIndex.inProcess(index, RunScope.everything(), threads);
        assertEquals(one.events(), many.events(), threads + " threads");
        assertEquals(sums(one.accounting()), sums(many.accounting()), threads + " threads");
      }
    }
  }

  @Test
  void aLargePartitionReadInPartsOnSeveralThreadsGivesItsEventsOnceInTheirOrder() throws IOException {
    // one seminar's busy day: one partition file of many Avro blocks (a block is ~64 KB)
    List<Event> written = new ArrayList<>();
    for (Event e : events(40_000)) {
      written.add(e.seminarId == null || Sources.METRICS.equals(e.source) ? e
          : e.attributed("00000001-0000-4000-8000-000000000001", e.sessionId, "n", e.location));
    }
    IndexSource index = IndexSource.open(index(written), RULES);
    long largest = index.files().stream().mapToLong(m -> m.sizeBytes()).max().orElseThrow();
    assertTrue(largest > 1_000_000, "the seminar's partition: " + largest + " bytes");
    ReadIndex.Read whole = ReadIndex.inProcess(index, RunScope.everything(), 1, Long.MAX_VALUE);
    assertEquals(written.size(), whole.events().size());
    for (long splitBytes : new long[] {1, 10_000, 64_000, 65_000, 300_001, ReadIndex.SPLIT_BYTES}) {
      assertTrue(ReadIndex.splits(index.files(), splitBytes).size() > index.files().size(), splitBytes + " bytes a part");
      for (int threads : new int[] {1, 3}) {
        ReadIndex.Read parts = ReadIndex.inProcess(index, RunScope.everything(), threads, splitBytes);
        assertEquals(whole.events().size(), parts.events().size(), splitBytes + " bytes a part, " + threads + " threads");
        assertTrue(whole.events().equals(parts.events()), splitBytes + " bytes a part, " + threads + " threads: same events, same order");
        assertEquals(sums(whole.accounting()), sums(parts.accounting()), splitBytes + " bytes a part, " + threads + " threads");
      }
    }
  }

  @Test
  void anIndexOfSixtyFourSeminarPartitionsIsReadByItsOwnBuckets() throws IOException {
    // as the builds before 256 buckets wrote it: s00…s63, and a manifest without seminar_buckets
    List<Event> written = events(3000);
    Path out = Files.createDirectories(tmp.resolve("old-nightly"));
    Path dir = Files.createDirectories(out.resolve(IndexFormat.DIR));
    WriteIndex.inProcess(dir.toString(), written,
        e -> Sources.METRICS.equals(e.source) ? IndexFormat.METRICS : e.seminarId == null ? IndexFormat.GLOBAL
            : IndexFormat.seminarPartition(e.seminarId, IndexFormat.FIRST_SEMINAR_BUCKETS));
    String nightly = index(List.of());
    com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode)
        Json.MAPPER.readTree(Path.of(nightly, IndexFormat.DIR, IndexFormat.MANIFEST).toFile());
    manifest.remove("seminar_buckets");
    Files.writeString(dir.resolve(IndexFormat.MANIFEST), Json.MAPPER.writeValueAsString(manifest));
    try (var names = Files.list(dir)) {
      assertTrue(names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("s")).allMatch(n -> n.matches("s\\d\\d")));
    }
    String seminar = written.stream().filter(e -> e.seminarId != null && !Sources.METRICS.equals(e.source))
        .findFirst().orElseThrow().seminarId;
    IndexSource index = IndexSource.open(out.toString(), RULES);
    assertEquals(IndexFormat.FIRST_SEMINAR_BUCKETS, index.manifest().seminarBuckets());
    IndexSource one = index.forRun(new RunScope(null, null, seminar, null, null, 0), null);
    String partition = IndexFormat.seminarPartition(seminar, IndexFormat.FIRST_SEMINAR_BUCKETS);
    assertEquals(List.of(partition, IndexFormat.GLOBAL, IndexFormat.METRICS), one.partitions());
    List<Event> theirs = ReadIndex.inProcess(one, new RunScope(null, null, seminar, null, null, 0)).events();
    assertEquals(written.stream().filter(e -> seminar.equals(e.seminarId) && !Sources.METRICS.equals(e.source)).count(),
        theirs.stream().filter(e -> seminar.equals(e.seminarId)).count(), "every event of the seminar, from its 64-bucket partition");
    assertTrue(!partition.equals(IndexFormat.seminarPartition(seminar)), "the new buckets would have named another file: "
        + partition);
  }

  @Test
  void aFileOfAnotherSchemaIsResolvedAsTheGenericReaderWould() throws IOException {
    // the same records with the fields in another order: Avro's resolution, then fromRecord
    String source = "{\"name\": \"source\", \"type\": \"string\"}";
    String name = "{\"name\": \"name\", \"type\": \"string\"}";
    String reordered = IndexFormat.SCHEMA_JSON.replace(source, "@").replace(name, source).replace("@", name);
    assertTrue(!reordered.equals(IndexFormat.SCHEMA_JSON));
    org.apache.avro.Schema other = new org.apache.avro.Schema.Parser().parse(reordered);
    List<Event> events = events(50);
    Path file = tmp.resolve("other.avro");
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(other))) {
      w.create(other, file.toFile());
      for (Event e : events) {
        GenericRecord r = new org.apache.avro.generic.GenericData.Record(other);
        IndexFormat.toRecord(e).getSchema().getFields().forEach(f -> r.put(f.name(), IndexFormat.toRecord(e).get(f.name())));
        w.append(r);
      }
    }
    assertEquals(events, direct(file, new EventDatumReader()));
  }

  @Test
  void aDamagedPartitionFailsTheReadOnAnyNumberOfThreads() throws IOException {
    IndexSource index = IndexSource.open(index(events(2000)), RULES);
    Path victim = partitionFiles(index.dir).get(partitionFiles(index.dir).size() / 2);
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length - 1] ^= 0x5a; // the last block's sync marker
    Files.write(victim, bytes);
    for (int threads : new int[] {1, 4}) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ReadIndex.inProcess(index, RunScope.everything(), threads));
      assertTrue(e.getMessage().contains(victim.getParent().getFileName().toString()), e.getMessage());
    }
  }

  /** Events of many seminars (so of most partitions), global ones and metric samples. */
  static List<Event> events(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String source = i % 10 == 0 ? Sources.METRICS : i % 3 == 0 ? Sources.BACKEND_LOGS : Sources.ANALYTICS;
      Event.Builder b = Event.builder(source, "livekit_connect_failed").time(DAY + i * 1_000_000L, DAY + i * 1_000_000L + 7)
          .location("analytics/events_" + (i % 4) + ".json:" + i);
      if (i % 7 != 0 && !Sources.METRICS.equals(source)) {
        b.seminar(String.format(Locale.ROOT, "%08d-0000-4000-8000-%012d", i % 211, i % 211));
        b.session(i % 2 == 0 ? String.format(Locale.ROOT, "%08d-1111-4000-8000-%012d", i % 5, i % 5) : null);
      }
      b.user(i % 11 == 0 ? null : "usr_" + (i % 97)).platform(i % 5 == 0 ? null : i % 2 == 0 ? "ANDROID" : "IOS");
      b.attr("error", i % 13 == 0 ? "Zeitüberschreitung — 接続 " + i : "HTTP 503").attr("state", i % 4 == 0 ? null : "connecting");
      b.num("status_code", i % 6 == 0 ? null : (Number) 503L).num("clock_skew_seconds", i * 0.25).num("big", Long.MAX_VALUE - i);
      out.add(b.build());
    }
    return out;
  }

  /** A nightly output folder with an index of these events and a manifest for the default rules. */
  private String index(List<Event> events) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("nightly-" + events.size()));
    Path dir = Files.createDirectories(out.resolve(IndexFormat.DIR));
    WriteIndex.inProcess(dir.toString(), events);
    com.fasterxml.jackson.databind.node.ObjectNode sources = Json.MAPPER.createObjectNode();
    for (String s : List.of(Sources.ANALYTICS, Sources.BACKEND_LOGS, Sources.METRICS)) {
      sources.putObject(s).put("read", events.size()).put("used", events.stream().filter(e -> e.source.equals(s)).count());
    }
    IndexManifest manifest = IndexManifest.of(RULES, new DataWindow(DAY, DAY + 86_400_000_000L),
        List.of(Sources.ANALYTICS, Sources.BACKEND_LOGS, Sources.METRICS), sources, null);
    Files.writeString(dir.resolve(IndexFormat.MANIFEST), Json.MAPPER.writeValueAsString(manifest.json));
    return out.toString();
  }

  private static List<Path> partitionFiles(String dir) throws IOException {
    try (var s = Files.walk(Path.of(dir.endsWith(IndexFormat.DIR) ? dir : dir + "/" + IndexFormat.DIR))) {
      return s.filter(p -> p.toString().endsWith(".avro")).sorted(Comparator.comparing(Path::toString)).toList();
    }
  }

  private static List<Event> generic(Path file) throws IOException {
    List<Event> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        DataFileStream<GenericRecord> s = new DataFileStream<>(in, new GenericDatumReader<>(IndexFormat.schema()))) {
      s.forEach(r -> out.add(IndexFormat.fromRecord(r)));
    }
    return out;
  }

  private static List<Event> direct(Path file, EventDatumReader reader) throws IOException {
    List<Event> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file); DataFileStream<Event> s = new DataFileStream<>(in, reader)) {
      s.forEach(out::add);
    }
    return out;
  }

  private static Map<String, Long> sums(List<KV<String, Long>> accounting) {
    Map<String, Long> out = new TreeMap<>();
    accounting.forEach(kv -> out.merge(kv.getKey(), kv.getValue(), Long::sum));
    return out;
  }
}
