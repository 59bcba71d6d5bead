package dev.sfutriage.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/** Reads one (already decompressed) input file into records. */
public interface FileParser<T> extends Serializable {
  /** The source name used in accounting and dead letters. */
  String source();

  void parse(String fileName, InputStream in, RecordSink<T> sink) throws IOException;
}
