package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.util.Parallel;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link ReadSource} for the in-process engine: the same files through the same parsers, the same
 * {@link RoutingSink} (window, scope, exactly one count per record), the same unreadable-input dead
 * letters and the same duplicate choice ({@link Dedupe#keep}), in this thread.
 */
public final class ReadInProcess {
  private ReadInProcess() {}

  /** More records kept than the in-process engine was given room for: the run belongs on the runner. */
  public static final class TooMany extends RuntimeException {
    TooMany(long max) {
      super("more than " + max + " records to keep in memory");
    }
  }

  /** What {@link ReadSource} gives: the records and the accounting held in memory, the dead letters handed on as read. */
  public record Read<T>(List<T> records, List<KV<String, Long>> accounting) {}

  /** The support tickets of these files, as {@link ReadSources} reads them. */
  public static Read<dev.sfutriage.model.Ticket> tickets(List<String> files, Consumer<DeadLetter> dead) {
    Map<String, FileParser<dev.sfutriage.model.Ticket>> parsers = new HashMap<>();
    files.forEach(f -> parsers.put(f, new TicketParser()));
    return files(parsers, null, t -> t.location, dead, Long.MAX_VALUE);
  }

  /** The events of the raw input files, as {@link ReadSources} reads them. */
  public static Read<dev.sfutriage.model.Event> events(Map<String, List<String>> files, IngestConfig ingest,
      @Nullable RunScope scope, Consumer<DeadLetter> dead, long maxRecords) {
    return files(ReadSources.eventParsers(files, ingest), scope, e -> e.location, dead, maxRecords);
  }

  /**
   * Every file with its parser; a dead letter goes to {@code dead} as it is read (they may be many).
   * Files are read on up to one thread per core, each with its own copy of its parser (a parser may
   * keep state, as each runner worker has its own); their records are merged in file order, so the
   * result does not depend on which thread finished first.
   *
   * @throws TooMany when more than {@code maxRecords} records are kept
   */
  public static <T> Read<T> files(Map<String, FileParser<T>> parsers, @Nullable RunScope scope,
      SerializableFunction<T, String> locationOf, Consumer<DeadLetter> dead, long maxRecords) {
    return files(parsers, scope, locationOf, dead, maxRecords, Parallel.cores());
  }

  static <T> Read<T> files(Map<String, FileParser<T>> parsers, @Nullable RunScope scope,
      SerializableFunction<T, String> locationOf, Consumer<DeadLetter> dead, long maxRecords, int cores) {
    List<String> files = new ArrayList<>(new TreeSet<>(parsers.keySet()));
    // Past the limit a record is no longer kept and every file ends at once (parsers turn an exception
    // into a dead letter, so none is thrown from the sink; the streams report their end instead): the
    // run is refused after the threads stop, having read no more than it must to know.
    AtomicLong kept = new AtomicLong();
    Consumer<DeadLetter> deadShared = d -> {
      synchronized (dead) {
        dead.accept(d);
      }
    };
    // A parser may keep state (as each runner worker has its own copy): one copy per thread.
    Map<FileParser<T>, ThreadLocal<FileParser<T>>> copies = new HashMap<>();
    for (FileParser<T> shared : parsers.values()) {
      copies.computeIfAbsent(shared, p -> ThreadLocal.withInitial(() -> SerializableUtils.clone(p)));
    }
    List<FileRead<T>> reads = Parallel.map(files, cores, f -> readFile(f,
        cores <= 1 ? parsers.get(f) : copies.get(parsers.get(f)).get(), scope, locationOf, deadShared, kept, maxRecords));
    if (kept.get() >= maxRecords) {
      throw new TooMany(maxRecords);
    }
    Accounting.Tally tally = new Accounting.Tally();
    List<T> records = new ArrayList<>();
    Dedupe.Firsts<T> firsts = new Dedupe.Firsts<>(locationOf);
    for (FileRead<T> r : reads) {
      records.addAll(r.records());
      firsts.addAll(r.firsts());
      r.accounting().forEach(kv -> tally.addKey(kv.getKey(), kv.getValue()));
    }
    firsts.emit(records::add, tally);
    return new Read<>(records, tally.drainOutsidePipeline());
  }

  /** One file's records, its keyed records collapsed within the file, and its counts. */
  private record FileRead<T>(List<T> records, Dedupe.Firsts<T> firsts, List<KV<String, Long>> accounting) {}

  private static <T> FileRead<T> readFile(String f, FileParser<T> parser, @Nullable RunScope scope,
      SerializableFunction<T, String> locationOf, Consumer<DeadLetter> dead, AtomicLong kept, long maxRecords) {
    Accounting.Tally tally = new Accounting.Tally();
    List<T> records = new ArrayList<>();
    Dedupe.Firsts<T> firsts = new Dedupe.Firsts<>(locationOf);
    String unreadable = InputFiles.unreadable(f);
    if (unreadable != null) {
      tally.add(parser.source(), Accounting.READ, null, 1);
      tally.add(parser.source(), Accounting.DEAD_LETTERED, null, 1);
      dead.accept(new DeadLetter(parser.source(), ParseFilesFn.displayName(f), unreadable, ""));
      return new FileRead<>(records, firsts, tally.drainOutsidePipeline());
    }
    RoutingSink<T> sink = new RoutingSink<>(parser.source(), scope, tally, r -> {
      if (kept.incrementAndGet() < maxRecords) {
        records.add(r);
      }
    }, kv -> {
      int before = firsts.size();
      if (kept.get() < maxRecords) {
        firsts.add(kv);
        kept.addAndGet(firsts.size() - before);
      }
    }, dead);
    ParseFilesFn.parse(parser, ParseFilesFn.displayName(f), () -> new EndWhenFull(open(f), kept, maxRecords), sink,
        sink::records);
    return new FileRead<>(records, firsts, tally.drainOutsidePipeline());
  }

  /** A file's stream that ends as soon as the run keeps too many records (its results are dropped then). */
  private static final class EndWhenFull extends java.io.FilterInputStream {
    private final AtomicLong kept;
    private final long max;

    EndWhenFull(java.io.InputStream in, AtomicLong kept, long max) {
      super(in);
      this.kept = kept;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      return kept.get() >= max ? -1 : super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return kept.get() >= max ? -1 : super.read(b, off, len);
    }
  }

  /** Opens a file as {@code FileIO.readMatches().withCompression(AUTO)} does: decompressed by its extension. */
  private static java.io.InputStream open(String file) throws IOException {
    return Channels.newInputStream(Compression.detect(file)
        .readDecompressed(FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId())));
  }
}
