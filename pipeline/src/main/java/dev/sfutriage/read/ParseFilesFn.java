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

  /** The parser of each input file (resolved paths), so one read step serves every source. */
  private final java.util.Map<String, FileParser<T>> parsers;
  private final @Nullable RunScope scope;
  private final TupleTag<T> mainTag;
  private final TupleTag<KV<String, T>> keyedTag;
  private final TupleTag<DeadLetter> deadTag;
  private final TupleTag<KV<String, Long>> accountTag;
  private transient Accounting.Tally tally;

  ParseFilesFn(java.util.Map<String, FileParser<T>> parsers, @Nullable RunScope scope, TupleTag<T> mainTag,
      TupleTag<KV<String, T>> keyedTag, TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    this.parsers = parsers;
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
    String resource = file.getMetadata().resourceId().toString();
    FileParser<T> parser = parsers.get(resource);
    if (parser == null) {
      throw new IllegalStateException("no parser for " + resource);
    }
    String name = displayName(resource);
    RoutingSink<T> sink = new RoutingSink<>(parser.source(), scope, tally, out, mainTag, keyedTag, deadTag);
    try (InputStream in = Channels.newInputStream(file.open())) {
      parser.parse(name, in, sink);
    } catch (IOException | RuntimeException e) {
      // The records read so far stay counted; the unreadable remainder is one dead letter.
      sink.deadLetter(name + ":" + (sink.records() + 1), "unreadable file: " + e.getClass().getSimpleName()
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
}
