package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads each matched file with a {@link FileParser} and routes every record to exactly one of:
 * kept (keyed for dedupe, or not), filtered, dead-lettered. Decompression (.gz) is the file's.
 */
final class ParseFilesFn<T> extends RoutingDoFn<FileIO.ReadableFile, T> {
  private static final Path CWD = Paths.get("").toAbsolutePath();

  /** The parser of each input file (resolved paths), so one read step serves every source. */
  private final java.util.Map<String, FileParser<T>> parsers;

  ParseFilesFn(java.util.Map<String, FileParser<T>> parsers, @Nullable RunScope scope, TupleTag<T> mainTag,
      TupleTag<KV<String, T>> keyedTag, TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    super(scope, mainTag, keyedTag, deadTag, accountTag);
    this.parsers = parsers;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
    String resource = file.getMetadata().resourceId().toString();
    FileParser<T> parser = parsers.get(resource);
    if (parser == null) {
      throw new IllegalStateException("no parser for " + resource);
    }
    RoutingSink<T> sink = sink(parser.source(), out);
    parse(parser, displayName(resource), () -> Channels.newInputStream(file.open()), sink, sink::records);
  }

  /** Opens an input (decompressed). */
  interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * One file through its parser into the sink: the records read before a failure stay counted, and the
   * unreadable remainder is one dead letter (the pipeline's reader and the in-process one share this).
   */
  static <T> void parse(FileParser<T> parser, String name, Opener opener, RecordSink<T> sink, java.util.function.LongSupplier records) {
    try (InputStream in = opener.open()) {
      parser.parse(name, in, sink);
    } catch (IOException | RuntimeException e) {
      sink.deadLetter(name + ":" + (records.getAsLong() + 1), "unreadable file: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()), "");
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
