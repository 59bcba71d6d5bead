package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Runs one reader transform over files a test writes, with PAssert on all three of its outputs. */
final class ReaderHarness {
  static final List<String> DAY = List.of("livekit_*");

  private ReaderHarness() {}

  static IngestConfig config() {
    return new IngestConfig(Map.of("analytics", DAY, "backend_logs",
        List.of("livekit_*", "session_started", "session_ended", "recording_finished"), "metrics", DAY),
        List.of("/sfu/", "/studio/", "/livekit/"), 120_000_000L,
        "seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})");
  }

  static TestPipeline pipeline() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(false);
  }

  static Path write(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      Files.writeString(p, content, StandardCharsets.UTF_8);
    }
    return p;
  }

  static <T> Parsed<T> read(TestPipeline p, List<Path> files, FileParser<T> parser, RunScope scope, Class<T> type,
      SerializableFunction<T, String> locationOf) {
    Coder<T> coder;
    try {
      @SuppressWarnings("unchecked")
      Coder<T> events = (Coder<T>) dev.sfutriage.model.EventCoder.of();
      coder = type == Event.class ? events : p.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    java.util.Map<String, FileParser<T>> parsers = new java.util.TreeMap<>();
    files.forEach(f -> parsers.put(f.toAbsolutePath().toString(), parser));
    return p.apply(new ReadSource<>(parser.source(), parsers, scope, coder, locationOf));
  }

  static Parsed<Event> readEvents(TestPipeline p, List<Path> files, FileParser<Event> parser, RunScope scope) {
    return read(p, files, parser, scope, Event.class, (Event e) -> e.location);
  }

  static Parsed<dev.sfutriage.model.Ticket> readTickets(TestPipeline p, List<Path> files) {
    return read(p, files, new TicketParser(), null, dev.sfutriage.model.Ticket.class, (dev.sfutriage.model.Ticket t) -> t.location);
  }

  /** Asserts the source's account, outcome by outcome (reasons summed). */
  static void assertAccount(Parsed<?> parsed, String source, long read, long dead, long dups, long filtered, long used) {
    PCollection<KV<String, Long>> byOutcome = parsed.accounting
        .apply("Outcome " + source, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via((KV<String, Long> kv) -> KV.of(kv.getKey().split("\\|")[1], kv.getValue())))
        .apply("Sum " + source, Sum.longsPerKey());
    List<KV<String, Long>> expected = new ArrayList<>();
    expected.add(KV.of(Accounting.READ, read));
    if (dead > 0) {
      expected.add(KV.of(Accounting.DEAD_LETTERED, dead));
    }
    if (dups > 0) {
      expected.add(KV.of(Accounting.DUPLICATES, dups));
    }
    if (filtered > 0) {
      expected.add(KV.of(Accounting.FILTERED, filtered));
    }
    if (used > 0) {
      expected.add(KV.of(Accounting.USED, used));
    }
    PAssert.that(byOutcome).containsInAnyOrder(expected);
  }

  /** Asserts the source's filtered records per reason, e.g. {@code "audit_log", 1L}. */
  static void assertFilteredByReason(Parsed<?> parsed, String source, Map<String, Long> byReason) {
    String prefix = source + "|" + Accounting.FILTERED + "|";
    PCollection<KV<String, Long>> filtered = parsed.accounting
        .apply("Filtered " + source, org.apache.beam.sdk.transforms.Filter.by((KV<String, Long> kv) -> kv.getKey().startsWith(prefix)))
        .apply("Reason " + source, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
            .via((KV<String, Long> kv) -> KV.of(kv.getKey().substring(prefix.length()), kv.getValue())))
        .apply("Sum reasons " + source, Sum.longsPerKey());
    List<KV<String, Long>> expected = new ArrayList<>();
    byReason.forEach((k, v) -> expected.add(KV.of(k, v)));
    PAssert.that(filtered).containsInAnyOrder(expected);
  }

  /** Asserts the dead letters as {@code location: reason} (in any order). */
  static void assertDeadLetters(Parsed<?> parsed, String... locationAndReason) {
    PAssert.that(parsed.deadLetters.apply("Dead letters", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.location.substring(d.location.lastIndexOf('/') + 1) + ": " + d.reason)))
        .containsInAnyOrder(locationAndReason);
  }

  /** Asserts the dead letters' reasons (in any order). */
  static void assertDeadReasons(Parsed<?> parsed, String... reasons) {
    PAssert.that(parsed.deadLetters.apply("Reasons", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.reason))).containsInAnyOrder(reasons);
  }
}
