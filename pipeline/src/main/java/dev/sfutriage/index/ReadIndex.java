package dev.sfutriage.index;

import dev.sfutriage.model.Event;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.SeekableInput;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import dev.sfutriage.read.Accounting;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.util.Parallel;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the partitions of an index that a run needs, applies the run's window and scope to each event
 * as the raw readers do, and gives the events and the accounting: the nightly's (from the manifest),
 * with the events this run did not use counted as filtered (out of scope, or in a partition not read).
 */
public final class ReadIndex extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Event> EVENTS = new TupleTag<Event>("indexEvents") {};
  public static final TupleTag<KV<String, Long>> ACCOUNTING = new TupleTag<KV<String, Long>>("indexAccounting") {};
  /** Why an indexed event of a partition this run did not read is not used. */
  public static final String NOT_READ = "outside_the_index_partitions_read";

  private final IndexSource index;
  private final RunScope scope;

  public ReadIndex(IndexSource index, RunScope scope) {
    this.index = index;
    this.scope = scope;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read = begin
        .apply("Partitions", Create.of(index.partitionGlobs()).withCoder(StringUtf8Coder.of()))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("Open", FileIO.readMatches())
        .apply("Avro", AvroIO.readFilesGenericRecords(IndexFormat.SCHEMA_JSON))
        .apply("ToEvents", ParDo.of(new ToEventFn(scope, !index.readsAll())).withOutputTags(EVENTS, TupleTagList.of(ACCOUNTING)));
    read.get(EVENTS).setCoder(dev.sfutriage.model.EventCoder.of());
    KvCoder<String, Long> kv = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    read.get(ACCOUNTING).setCoder(kv);
    PCollection<KV<String, Long>> nightly = begin.apply("NightlyAccounting",
        Create.of(index.accounting(!index.readsAll())).withCoder(kv));
    PCollection<KV<String, Long>> accounting = PCollectionList.of(nightly).and(read.get(ACCOUNTING))
        .apply("IndexAccounting", Flatten.pCollections());
    return PCollectionTuple.of(EVENTS, read.get(EVENTS)).and(ACCOUNTING, accounting);
  }

  /** An indexed event counted as used (and returned), or as filtered by the run's window and scope (null). */
  static @Nullable Event use(Event e, RunScope scope, boolean partial, Accounting.Tally tally) {
    if (partial) {
      tally.add(e.source, Accounting.FILTERED, NOT_READ, -1);
    }
    String rejected = scope.reject(e);
    if (rejected != null) {
      tally.add(e.source, Accounting.FILTERED, rejected, 1);
      return null;
    }
    tally.add(e.source, Accounting.USED, null, 1);
    return e;
  }

  /** What {@link #expand} gives, held in memory. */
  public record Read(List<Event> events, List<KV<String, Long>> accounting) {}

  /**
   * {@link #expand} in this JVM (the in-process engine): the same partitions, records, scope and
   * counts, read with Avro's own file reader, the partitions on one thread per core; the events come
   * in the partitions' order whatever thread read them.
   */
  public static Read inProcess(IndexSource index, RunScope scope) {
    return inProcess(index, scope, Parallel.cores());
  }

  static Read inProcess(IndexSource index, RunScope scope, int threads) {
    return inProcess(index, scope, threads, SPLIT_BYTES);
  }

  static Read inProcess(IndexSource index, RunScope scope, int threads, long splitBytes) {
    boolean partial = !index.readsAll();
    List<Read> parts = Parallel.map(splits(index.files(), splitBytes), threads, split -> split(split, scope, partial));
    List<Event> events = new ArrayList<>(parts.stream().mapToInt(p -> p.events().size()).sum());
    List<KV<String, Long>> accounting = new ArrayList<>(index.accounting(partial));
    for (Read p : parts) {
      events.addAll(p.events());
      accounting.addAll(p.accounting());
    }
    return new Read(events, accounting);
  }

  /**
   * The bytes of an index file one thread reads at a time. A seminar with a large session makes one
   * partition file much larger than the others (5.4 MB of the 11 MB a 10-ticket run reads on the 10 M
   * day); read whole, that file alone would set the read's wall time while the other threads idle.
   */
  static final long SPLIT_BYTES = 1 << 20;

  /** A part of an index file: the Avro blocks whose sync marker lies in [start, end); or the whole file. */
  record Split(MatchResult.Metadata file, long start, long end, boolean whole) {}

  /** The files cut into parts of about {@code splitBytes}, in the files' order. */
  static List<Split> splits(List<MatchResult.Metadata> files, long splitBytes) {
    List<Split> out = new ArrayList<>();
    for (MatchResult.Metadata f : files) {
      long size = f.sizeBytes();
      int n = size <= splitBytes ? 1 : (int) Math.min(1024, (size - 1) / splitBytes + 1);
      for (int i = 0; i < n; i++) {
        out.add(new Split(f, size * i / n, size * (i + 1) / n, n == 1));
      }
    }
    return out;
  }

  /**
   * One part of a partition file: the events that the run uses, and its counts. A file system whose
   * files cannot seek gives the whole file to its first part, and nothing to the others.
   */
  private static Read split(Split split, RunScope scope, boolean partial) {
    Accounting.Tally tally = new Accounting.Tally();
    List<Event> events = new ArrayList<>();
    try (ReadableByteChannel channel = FileSystems.open(split.file().resourceId())) {
      if (split.whole() || !(channel instanceof SeekableByteChannel)) {
        if (split.start() == 0) {
          try (DataFileStream<Event> in = new DataFileStream<>(Channels.newInputStream(channel), new EventDatumReader())) {
            while (in.hasNext()) {
              add(in.next(), scope, partial, tally, events);
            }
          }
        }
      } else {
        try (DataFileReader<Event> in = new DataFileReader<>(new ChannelInput((SeekableByteChannel) channel), new EventDatumReader())) {
          in.sync(split.start());
          while (in.hasNext() && !in.pastSync(split.end())) {
            add(in.next(), scope, partial, tally, events);
          }
        }
      }
    } catch (IOException | org.apache.avro.AvroRuntimeException e) {
      throw new IllegalStateException("--fromIndex: cannot read " + split.file().resourceId() + ": " + e.getMessage(), e);
    }
    return new Read(events, tally.drainOutsidePipeline());
  }

  private static void add(Event read, RunScope scope, boolean partial, Accounting.Tally tally, List<Event> events) {
    Event e = use(read, scope, partial, tally);
    if (e != null) {
      events.add(e);
    }
  }

  /** A file system's seekable channel as Avro's random-access input. */
  private static final class ChannelInput implements SeekableInput {
    private final SeekableByteChannel channel;

    ChannelInput(SeekableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public void seek(long p) throws IOException {
      channel.position(p);
    }

    @Override
    public long tell() throws IOException {
      return channel.position();
    }

    @Override
    public long length() throws IOException {
      return channel.size();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * An indexed event: used, or filtered by the run's window and scope. When not every partition is
   * read, the nightly's "used" is counted as {@link #NOT_READ} and each event read takes one back.
   */
  static final class ToEventFn extends DoFn<GenericRecord, Event> {
    private final RunScope scope;
    private final boolean partial;
    private transient Accounting.Tally tally;

    ToEventFn(RunScope scope, boolean partial) {
      this.scope = scope;
      this.partial = partial;
    }

    @StartBundle
    public void start() {
      tally = new Accounting.Tally();
    }

    @ProcessElement
    public void process(@Element GenericRecord r, MultiOutputReceiver out) {
      Event e = use(IndexFormat.fromRecord(r), scope, partial, tally);
      if (e != null) {
        out.get(EVENTS).output(e);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      for (KV<String, Long> kv : tally.drain()) {
        c.output(ACCOUNTING, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }
}
