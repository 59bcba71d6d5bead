package dev.sfutriage.read;

import java.util.Arrays;
import java.util.Locale;

/**
 * The bytes of the record being read, kept up to {@link LineParser#MAX_RECORD_BYTES}: past the limit
 * only its size is counted, so an oversize record costs no more memory than the limit.
 */
final class RecordBuffer {
  byte[] bytes = new byte[8 * 1024];
  int len;
  /** Bytes of the record so far, counting those past the limit that were not kept. */
  long size;

  void append(byte[] buf, int off, int add) {
    if (size + add <= LineParser.MAX_RECORD_BYTES) {
      if (len + add > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(LineParser.MAX_RECORD_BYTES, Math.max(bytes.length * 2, len + add)));
      }
      System.arraycopy(buf, off, bytes, len, add);
      len += add;
    }
    size += add;
  }

  void append(byte c) {
    if (size < LineParser.MAX_RECORD_BYTES) {
      if (len == bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(LineParser.MAX_RECORD_BYTES, bytes.length * 2));
      }
      bytes[len++] = c;
    }
    size++;
  }

  boolean overLimit() {
    return size > LineParser.MAX_RECORD_BYTES;
  }

  /** Its kept length without a trailing CR. */
  int lengthWithoutCr() {
    return len > 0 && bytes[len - 1] == '\r' ? len - 1 : len;
  }

  /** Dead-letters the oversize record: its size, and its first 200 bytes as raw text. */
  <T> void deadLetterOversize(String location, RecordSink<T> sink) {
    sink.deadLetter(location, String.format(Locale.ROOT, "record over the 1 MiB limit: %d bytes (the limit is %d)",
        size, LineParser.MAX_RECORD_BYTES), LineParser.raw(bytes, Math.min(len, 200)));
  }

  void reset() {
    len = 0;
    size = 0;
  }
}
