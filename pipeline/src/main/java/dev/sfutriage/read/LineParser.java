package dev.sfutriage.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A parser for newline-delimited records (NDJSON exports, JSON log lines). Splits on LF, drops a
 * CR before it and a UTF-8 byte-order mark at the start, skips blank lines, and dead-letters a line
 * longer than {@link #MAX_LINE_BYTES} without buffering all of it.
 */
public abstract class LineParser<T> implements FileParser<T> {
  public static final int MAX_LINE_BYTES = 32 * 1024 * 1024;

  /** Parses one line; {@code line[0..len)} holds its bytes (UTF-8 expected, not yet checked). */
  protected abstract void parseLine(String location, byte[] line, int len, RecordSink<T> sink);

  @Override
  public void parse(String fileName, InputStream in, RecordSink<T> sink) throws IOException {
    byte[] buf = new byte[64 * 1024];
    byte[] line = new byte[8 * 1024];
    int len = 0;
    long lineNo = 1;
    boolean overflow = false;
    boolean first = true;
    int n;
    while ((n = in.read(buf)) > 0) {
      int start = 0;
      if (first) {
        first = false;
        if (n >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
          start = 3;
        }
      }
      int i = start;
      while (i < n) {
        int nl = i;
        while (nl < n && buf[nl] != '\n') {
          nl++;
        }
        if (!overflow) {
          // copy the run up to the newline (or the buffer's end) in one piece
          int add = nl - i;
          if (len + add > line.length) {
            if (len + add > MAX_LINE_BYTES) {
              overflow = true;
            } else {
              line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, len + add)));
            }
          }
          if (!overflow) {
            System.arraycopy(buf, i, line, len, add);
            len += add;
          }
        }
        if (nl == n) {
          break;
        }
        emit(fileName, lineNo++, line, len, overflow, sink);
        len = 0;
        overflow = false;
        i = nl + 1;
      }
    }
    if (len > 0 || overflow) {
      emit(fileName, lineNo, line, len, overflow, sink);
    }
  }

  private void emit(String fileName, long lineNo, byte[] line, int len, boolean overflow, RecordSink<T> sink) {
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    String location = fileName + ":" + lineNo;
    if (overflow) {
      sink.deadLetter(location, "line longer than " + MAX_LINE_BYTES + " bytes", new String(line, 0, 200, StandardCharsets.UTF_8));
      return;
    }
    if (isBlank(line, len)) {
      return;
    }
    parseLine(location, line, len, sink);
  }

  private static boolean isBlank(byte[] line, int len) {
    for (int i = 0; i < len; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Raw text of a line for a dead letter (invalid UTF-8 replaced), bounded. */
  protected static String raw(byte[] line, int len) {
    return new String(line, 0, Math.min(len, 2000), StandardCharsets.UTF_8);
  }
}
