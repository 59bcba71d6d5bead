package dev.sfutriage.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.model.Event;
import dev.sfutriage.read.AnalyticsParser;
import dev.sfutriage.read.BackendLogParser;
import dev.sfutriage.read.CrashlyticsParser;
import dev.sfutriage.read.FileParser;
import dev.sfutriage.read.MetricsParser;
import dev.sfutriage.read.RecordSink;
import dev.sfutriage.read.WebhookJobParser;
import dev.sfutriage.rules.RulesLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every reader against ≥ 10 000 mutations of real fixture records per run: no exception escapes,
 * every record gets exactly one outcome, and every certainly-unreadable record is a dead letter
 * with a reason. Runs without Beam, so it can afford many mutations; {@link PipelineFuzzTest} runs
 * a smaller mutated day through the whole job.
 */
class ParserFuzzTest {
  static final Path FIX = Paths.get("..", "fixtures");
  static final int PER_SOURCE = 2_500;

  /** Counts one run of a parser over bytes. */
  static final class Counting implements RecordSink<Event> {
    long accepted;
    long filtered;
    final List<String> dead = new ArrayList<>();

    @Override
    public void accept(Event value, String dedupeKey) {
      accepted++;
    }

    @Override
    public void filtered(String reason) {
      filtered++;
    }

    @Override
    public void deadLetter(String location, String reason, String raw) {
      assertTrue(reason != null && !reason.isBlank(), "dead letter without reason at " + location);
      dead.add(location);
    }

    long total() {
      return accepted + filtered + dead.size();
    }
  }

  static List<String> lines(Path p) throws IOException {
    InputStream raw = Files.newInputStream(p);
    try (InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      List<String> out = new ArrayList<>();
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (l.startsWith("{")) {
          out.add(l);
        }
      }
      return out;
    }
  }

  private void fuzzLines(FileParser<Event> parser, List<String> seeds, long seed) throws IOException {
    Random random = new Random(seed);
    Mutator mutator = new Mutator(seed);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<Integer> mustDie = new ArrayList<>();
    for (int i = 0; i < PER_SOURCE; i++) {
      Mutator.Mutant m = mutator.mutate(seeds.get(random.nextInt(seeds.size())));
      m.writeLine(file);
      if (m.mustDeadLetter) {
        mustDie.add(i + 1);
      }
    }
    Counting sink = new Counting();
    parser.parse("fuzz", new ByteArrayInputStream(file.toByteArray()), sink);
    assertEquals(PER_SOURCE, sink.total(), parser.source() + ": one outcome per record");
    for (int line : mustDie) {
      assertTrue(sink.dead.contains("fuzz:" + line), parser.source() + ": unreadable line " + line + " not dead-lettered");
    }
  }

  @Test
  void everyLineReaderSurvivesTenThousandMutations() throws IOException {
    var ingest = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})").ingest;
    fuzzLines(new AnalyticsParser(ingest), lines(FIX.resolve("analytics/events_20261123-000000000001.json.gz")), 1);
    fuzzLines(new CrashlyticsParser(ingest), lines(FIX.resolve("crashlytics/com_example_seminars_ANDROID.json")), 2);
    fuzzLines(new BackendLogParser(ingest), lines(FIX.resolve("backend/app-2026-11-23.jsonl")), 3);
    fuzzLines(new BackendLogParser(ingest), lines(FIX.resolve("backend/cloud-logging-2026-11-23.json.gz")), 4);
  }

  @Test
  void theJsonArrayLayoutSurvivesMutatedRowsAndCountsEveryIntactOne() throws IOException {
    var ingest = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})").ingest;
    // the fixture's own trap rows (a truncated write) would swallow the rows after them: intact rows only
    List<String> seeds = lines(FIX.resolve("analytics/events_20261123-000000000001.json.gz")).stream()
        .filter(ParserFuzzTest::isJson).toList();
    Random random = new Random(6);
    Mutator mutator = new Mutator(6);
    for (int round = 0; round < 20; round++) {
      // intact rows pretty-printed over lines, one mutated row somewhere among them
      int rows = 50;
      int broken = random.nextInt(rows);
      String kind = "";
      StringBuilder doc = new StringBuilder("[\n");
      for (int i = 0; i < rows; i++) {
        String row = seeds.get(random.nextInt(seeds.size()));
        Mutator.Mutant m = i == broken ? mutator.mutate(row) : null;
        kind = m != null ? m.kind : kind;
        String text = m != null ? new String(m.bytes, StandardCharsets.UTF_8) : row.replace(",\"", ",\n  \"");
        doc.append(i == 0 ? "" : ",\n").append(text);
      }
      doc.append("\n]\n");
      Counting sink = new Counting();
      new AnalyticsParser(ingest).parse("rows.json", new ByteArrayInputStream(doc.toString().getBytes(StandardCharsets.UTF_8)), sink);
      // a mutation can merge a row with the rest (an unclosed string or brace), never lose the rows before it
      assertTrue(sink.total() >= broken && sink.total() <= rows + 1, "round " + round + " (" + kind + " at " + broken + "): " + sink.total() + " outcomes, dead " + sink.dead);
    }
  }

  private static boolean isJson(String s) {
    try {
      return dev.sfutriage.util.Json.MAPPER.readTree(s).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void csvAndPrometheusReadersSurviveBrokenDocuments() throws IOException {
    var ingest = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})").ingest;
    List<String> rows = Files.readAllLines(FIX.resolve("webhook_jobs/livekit_webhook_jobs.csv"));
    Random random = new Random(5);
    Mutator mutator = new Mutator(5);
    StringBuilder csv = new StringBuilder(rows.get(0)).append('\n');
    int n = 0;
    for (int i = 0; i < 1_000; i++) {
      String row = rows.get(1 + random.nextInt(rows.size() - 1));
      int comma = row.indexOf(",\"");
      if (comma > 0 && random.nextBoolean()) {
        // Wrong JSON types inside the payload column.
        row = row.replace("\"\"createdAt\"\":\"\"", "\"\"createdAt\"\":[\"\"").replace("\"\"room\"\":{", "\"\"room\"\":[{");
      }
      csv.append(row).append('\n');
      n++;
    }
    Counting sink = new Counting();
    new WebhookJobParser(ingest).parse("jobs.csv", new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), sink);
    assertEquals(n, sink.total());

    String doc = Files.readString(FIX.resolve("metrics/webhook-metrics-20261123.json"));
    MetricsParser metrics = new MetricsParser(ingest);
    for (int i = 0; i < 200; i++) {
      Mutator.Mutant m = mutator.mutate(doc);
      Counting s = new Counting();
      metrics.parse("m.json", new ByteArrayInputStream(m.bytes), s);
      assertTrue(s.total() >= 1 || m.bytes.length == 0, "a document is at least one record");
      if (m.mustDeadLetter) {
        assertTrue(s.dead.size() >= 1, "broken document not dead-lettered: " + m.kind);
      }
    }
    // Empty and zero-byte files are no records at all.
    Counting empty = new Counting();
    metrics.parse("empty.json", new ByteArrayInputStream(new byte[0]), empty);
    new AnalyticsParser(ingest).parse("empty.json", new ByteArrayInputStream(new byte[0]), empty);
    assertEquals(0, empty.total());
  }
}
