package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link ReadSource} for the in-process engine: the same files through the same parsers, the same
 * {@link RoutingSink} (window, scope, exactly one count per record), the same unreadable-input dead
 * letters and the same duplicate choice ({@link Dedupe#keep}), in this thread.
 */
public final class ReadInProcess {
  private ReadInProcess() {}

  /** What {@link ReadSource} gives, held in memory. */
  public record Read<T>(List<T> records, List<DeadLetter> deadLetters, List<KV<String, Long>> accounting) {}

  /** The support tickets of these files, as {@link ReadSources} reads them. */
  public static Read<dev.sfutriage.model.Ticket> tickets(List<String> files) {
    Map<String, FileParser<dev.sfutriage.model.Ticket>> parsers = new HashMap<>();
    files.forEach(f -> parsers.put(f, new TicketParser()));
    return files(parsers, null, t -> t.location);
  }

  public static <T> Read<T> files(Map<String, FileParser<T>> parsers, @Nullable RunScope scope,
      SerializableFunction<T, String> locationOf) {
    Accounting.Tally tally = new Accounting.Tally();
    List<T> records = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    Map<String, T> first = new HashMap<>();
    Map<String, Long> copies = new HashMap<>();
    for (String f : new TreeSet<>(parsers.keySet())) {
      FileParser<T> parser = parsers.get(f);
      String unreadable = InputFiles.unreadable(f);
      if (unreadable != null) {
        tally.add(parser.source(), Accounting.READ, null, 1);
        tally.add(parser.source(), Accounting.DEAD_LETTERED, null, 1);
        dead.add(new DeadLetter(parser.source(), ParseFilesFn.displayName(f), unreadable, ""));
        continue;
      }
      RoutingSink<T> sink = new RoutingSink<>(parser.source(), scope, tally, records::add, kv -> {
        first.merge(kv.getKey(), kv.getValue(), (a, b) -> Dedupe.keep(kv.getKey(), a, b, locationOf));
        copies.merge(kv.getKey(), 1L, Long::sum);
      }, dead::add);
      ParseFilesFn.parse(parser, ParseFilesFn.displayName(f), () -> open(f), sink, sink::records);
    }
    first.forEach((key, record) -> {
      String source = key.substring(0, key.indexOf('|'));
      records.add(record);
      tally.add(source, Accounting.USED, null, 1);
      long dups = copies.get(key) - 1;
      if (dups > 0) {
        tally.add(source, Accounting.DUPLICATES, null, dups);
      }
    });
    List<KV<String, Long>> accounting = new ArrayList<>();
    accounting.addAll(tally.drainOutsidePipeline());
    return new Read<>(records, dead, accounting);
  }

  /** Opens a file as {@code FileIO.readMatches().withCompression(AUTO)} does: decompressed by its extension. */
  private static java.io.InputStream open(String file) throws IOException {
    return Channels.newInputStream(Compression.detect(file)
        .readDecompressed(FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId())));
  }
}
