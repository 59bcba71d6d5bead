package dev.sfutriage.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * The in-process reader reads files on one thread per core and merges them in file order: the result
 * must be the single-threaded one exactly (same records in the same order, same duplicates collapsed,
 * same counts), whichever thread finishes first.
 */
class ReadInProcessTest {
  private static final Path FIXTURES = Paths.get("..", "fixtures");
  private static final Map<String, String> DIRS = Map.of(Sources.ANALYTICS, "analytics", Sources.CRASHLYTICS, "crashlytics",
      Sources.BACKEND_LOGS, "backend", Sources.WEBHOOK_JOBS, "webhook_jobs", Sources.METRICS, "metrics");

  @Test
  void readingOnSeveralThreadsGivesTheSingleThreadedRecordsCountsAndDeadLetters() throws IOException {
    Map<String, List<String>> files = new TreeMap<>();
    for (Map.Entry<String, String> d : DIRS.entrySet()) {
      try (Stream<Path> s = Files.list(FIXTURES.resolve(d.getValue()))) {
        files.put(d.getKey(), s.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
      }
    }
    assertTrue(files.values().stream().mapToInt(List::size).sum() >= 8, files.toString());
    IngestConfig ingest = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})").ingest;

    Run one = read(files, ingest, 1);
    assertTrue(one.records.size() > 1000, "the fixture day has its events: " + one.records.size());
    // Duplicates across files exist, so the per-file collapses are merged too.
    assertTrue(one.counts.keySet().stream().anyMatch(k -> k.contains("|" + Accounting.DUPLICATES)), one.counts.toString());
    for (int threads : List.of(2, 3, 8)) {
      for (int round = 0; round < 3; round++) {
        Run many = read(files, ingest, threads);
        assertEquals(one.records, many.records, threads + " threads: the records and their order");
        assertEquals(one.counts, many.counts, threads + " threads: the accounting");
        assertEquals(one.dead, many.dead, threads + " threads: the dead letters");
      }
    }
  }

  private record Run(List<String> records, Map<String, Long> counts, List<String> dead) {}

  private static Run read(Map<String, List<String>> files, IngestConfig ingest, int threads) {
    List<String> dead = new ArrayList<>();
    ReadInProcess.Read<Event> r = ReadInProcess.files(ReadSources.eventParsers(files, ingest), null, e -> e.location,
        (DeadLetter d) -> dead.add(d.location + " " + d.reason), Long.MAX_VALUE, threads);
    List<String> records = new ArrayList<>();
    for (Event e : r.records()) {
      records.add(e.location + " " + e.source + " " + e.name + " " + e.timeMicros + " " + e.seminarId + " " + e.userId);
    }
    Map<String, Long> counts = new TreeMap<>();
    for (KV<String, Long> kv : r.accounting()) {
      counts.merge(kv.getKey(), kv.getValue(), Long::sum);
    }
    dead.sort(null);
    return new Run(records, counts, dead);
  }
}
