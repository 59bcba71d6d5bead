package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads each matched file with a {@link FileParser} and routes every record to exactly one of:
 * kept (keyed for dedupe, or not), filtered, dead-lettered. Decompression (.gz) is the file's.
 */
final class ParseFilesFn<T> extends DoFn<FileIO.ReadableFile, T> {
  private static final Path CWD = Paths.get("").toAbsolutePath();

  private final FileParser<T> parser;
  private final @Nullable RunScope scope;
  private final TupleTag<T> mainTag;
  private final TupleTag<KV<String, T>> keyedTag;
  private final TupleTag<DeadLetter> deadTag;
  private final TupleTag<KV<String, Long>> accountTag;
  private transient Accounting.Tally tally;

  ParseFilesFn(FileParser<T> parser, @Nullable RunScope scope, TupleTag<T> mainTag,
      TupleTag<KV<String, T>> keyedTag, TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    this.parser = parser;
    this.scope = scope;
    this.mainTag = mainTag;
    this.keyedTag = keyedTag;
    this.deadTag = deadTag;
    this.accountTag = accountTag;
  }

  @StartBundle
  public void startBundle() {
    tally = new Accounting.Tally();
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
    String name = displayName(file.getMetadata().resourceId().toString());
    Sink sink = new Sink(out);
    try (InputStream in = Channels.newInputStream(file.open())) {
      parser.parse(name, in, sink);
    } catch (IOException | RuntimeException e) {
      // The records read so far stay counted; the unreadable remainder is one dead letter.
      sink.deadLetter(name + ":" + (sink.records + 1), "unreadable file: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()), "");
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext ctx) {
    for (KV<String, Long> kv : tally.drain()) {
      ctx.output(accountTag, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }

  /** Paths under the working directory are shown relative to it: shorter, and stable across clones. */
  static String displayName(String resource) {
    try {
      Path p = Paths.get(resource.startsWith("file:") ? resource.substring(5) : resource);
      return p.startsWith(CWD) ? CWD.relativize(p).toString() : resource;
    } catch (RuntimeException e) {
      return resource;
    }
  }

  private final class Sink implements RecordSink<T> {
    private final MultiOutputReceiver out;
    private long records;

    Sink(MultiOutputReceiver out) {
      this.out = out;
    }

    @Override
    public void accept(T value, @Nullable String dedupeKey) {
      records++;
      String src = parser.source();
      tally.add(src, Accounting.READ, null, 1);
      String rejected = scope != null && value instanceof Event ? scope.reject((Event) value) : null;
      if (rejected != null) {
        tally.add(src, Accounting.FILTERED, rejected, 1);
        return;
      }
      if (dedupeKey == null) {
        tally.add(src, Accounting.USED, null, 1);
        out.get(mainTag).output(value);
      } else {
        out.get(keyedTag).output(KV.of(dedupeKey, value));
      }
    }

    @Override
    public void filtered(String reason) {
      records++;
      tally.add(parser.source(), Accounting.READ, null, 1);
      tally.add(parser.source(), Accounting.FILTERED, reason, 1);
    }

    @Override
    public void deadLetter(String location, String reason, String raw) {
      records++;
      tally.add(parser.source(), Accounting.READ, null, 1);
      tally.add(parser.source(), Accounting.DEAD_LETTERED, null, 1);
      out.get(deadTag).output(new DeadLetter(parser.source(), location, reason, raw));
    }
  }
}
