package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One source's files → parsed, windowed, scoped, deduplicated records, with dead letters and the
 * source's accounting. Files are spread over workers (one file is read by one worker: exports and
 * log archives come in many shards).
 */
public final class ReadSource<T> extends PTransform<PBegin, Parsed<T>> {
  /** Where the records come from and how each becomes one sink call. */
  private interface Origin<T> extends java.io.Serializable {
    PCollectionTuple parse(PBegin begin, TupleTag<T> kept, TupleTag<KV<String, T>> keyed, TupleTag<DeadLetter> dead,
        TupleTag<KV<String, Long>> account);
  }

  private final String source;
  private final Origin<T> origin;
  private final Coder<T> coder;
  private final SerializableFunction<T, String> locationOf;
  /** Local inputs that cannot be opened ({@link InputFiles}): one dead letter each, found before the run. */
  private final List<DeadLetter> unreadable;

  private ReadSource(String source, Origin<T> origin, Coder<T> coder, SerializableFunction<T, String> locationOf,
      List<DeadLetter> unreadable) {
    super(source);
    this.source = source;
    this.origin = origin;
    this.coder = coder;
    this.locationOf = locationOf;
    this.unreadable = unreadable;
  }

  /** Files (paths or cloud URLs, already matched) with their parsers, one worker per file. */
  public ReadSource(String name, java.util.Map<String, FileParser<T>> parsers, @Nullable RunScope scope, Coder<T> coder,
      SerializableFunction<T, String> locationOf) {
    this(name, (begin, kept, keyed, dead, account) -> begin
        .apply("Files", Create.of(readable(parsers)).withCoder(StringUtf8Coder.of()))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
        .apply("Parse", ParDo.of(new ParseFilesFn<>(parsers, scope, kept, keyed, dead, account))
            .withOutputTags(kept, TupleTagList.of(keyed).and(dead).and(account))), coder, locationOf,
        unreadable(parsers));
  }

  private static List<String> readable(java.util.Map<String, ? extends FileParser<?>> parsers) {
    List<String> out = new java.util.ArrayList<>();
    for (String f : new java.util.TreeSet<>(parsers.keySet())) {
      if (InputFiles.unreadable(f) == null) {
        out.add(f);
      }
    }
    return out;
  }

  private static List<DeadLetter> unreadable(java.util.Map<String, ? extends FileParser<?>> parsers) {
    List<DeadLetter> out = new java.util.ArrayList<>();
    for (String f : new java.util.TreeSet<>(parsers.keySet())) {
      String why = InputFiles.unreadable(f);
      if (why != null) {
        out.add(new DeadLetter(parsers.get(f).source(), ParseFilesFn.displayName(f), why, ""));
      }
    }
    return out;
  }

  /** Table rows (BigQuery, JDBC) from {@code rows}, each parsed by {@code parser}. */
  public static <I, T> ReadSource<T> rows(PTransform<PBegin, PCollection<I>> rows, RowParser<I, T> parser,
      @Nullable RunScope scope, Coder<T> coder, SerializableFunction<T, String> locationOf) {
    return new ReadSource<>(parser.source(), (begin, kept, keyed, dead, account) -> begin
        .apply("Rows", rows)
        .apply("Parse", ParDo.of(new ParseRowsFn<>(parser, scope, kept, keyed, dead, account))
            .withOutputTags(kept, TupleTagList.of(keyed).and(dead).and(account))), coder, locationOf, List.of());
  }

  @Override
  public Parsed<T> expand(PBegin begin) {
    TupleTag<T> kept = new TupleTag<>("kept");
    TupleTag<KV<String, T>> keyed = new TupleTag<>("keyed");
    TupleTag<DeadLetter> dead = new TupleTag<>("dead");
    TupleTag<KV<String, Long>> account = new TupleTag<>("account");
    KvCoder<String, Long> accountCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

    PCollectionTuple parsed = origin.parse(begin, kept, keyed, dead, account);
    parsed.get(kept).setCoder(coder);
    parsed.get(keyed).setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
    parsed.get(account).setCoder(accountCoder);
    Coder<DeadLetter> deadCoder = dev.sfutriage.util.SchemaCoders.of(begin.getPipeline(), DeadLetter.class);
    parsed.get(dead).setCoder(deadCoder);
    PCollection<DeadLetter> deadLetters = parsed.get(dead);
    PCollection<KV<String, Long>> readAccount = parsed.get(account);
    if (!unreadable.isEmpty()) {
      List<KV<String, Long>> counts = new java.util.ArrayList<>();
      for (DeadLetter d : unreadable) {
        counts.add(KV.of(Accounting.key(d.source, Accounting.READ, null), 1L));
        counts.add(KV.of(Accounting.key(d.source, Accounting.DEAD_LETTERED, null), 1L));
      }
      deadLetters = PCollectionList.of(deadLetters)
          .and(begin.apply("Unreadable inputs", Create.of(unreadable).withCoder(deadCoder)))
          .apply("With unreadable inputs", Flatten.pCollections());
      readAccount = PCollectionList.of(readAccount)
          .and(begin.apply("Unreadable input counts", Create.of(counts).withCoder(accountCoder)))
          .apply("With unreadable input counts", Flatten.pCollections());
    }

    TupleTag<T> firsts = new TupleTag<>("firsts");
    TupleTag<KV<String, Long>> dupAccount = new TupleTag<>("dupAccount");
    PCollectionTuple deduped = parsed.get(keyed)
        .apply("Dedupe", new Dedupe<>(coder, locationOf, firsts, dupAccount));

    PCollection<T> records = PCollectionList.of(parsed.get(kept)).and(deduped.get(firsts))
        .apply("Records", Flatten.pCollections());
    PCollection<KV<String, Long>> accounting = PCollectionList.of(readAccount).and(deduped.get(dupAccount))
        .apply("Accounting", Flatten.pCollections());
    return new Parsed<>(records, deadLetters, accounting);
  }
}
