package dev.sfutriage.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A parser for files of JSON records, in either of the two layouts exports use:
 * <ul>
 *   <li>newline-delimited (NDJSON, JSON log lines): split on LF, a CR before it dropped;
 *   <li>a JSON array of rows (the BigQuery console's JSON download, pretty-printed over many lines):
 *       chosen when the file's first non-blank byte is {@code [}. The array is split into its
 *       elements as the bytes stream by (strings and nesting tracked), one element at a time, and
 *       each element is parsed like an NDJSON line; its location is the line it starts on.
 * </ul>
 * A UTF-8 byte-order mark at the start is dropped and blank records skipped. A file that is not UTF-8
 * text ({@link TextCheck}) is one dead letter. A record larger than {@link #MAX_RECORD_BYTES} is
 * dead-lettered before it is parsed, without buffering more than the limit of it.
 */
public abstract class LineParser<T> implements FileParser<T> {
  /**
   * The largest record read (1 MiB). No log line or export row of the sources comes near it, and one
   * such record would reach the shuffles whole (a 5 MB event overflows a sort buffer).
   */
  public static final int MAX_RECORD_BYTES = 1 << 20;
  /** Bytes of a record kept for its dead letter (before {@link dev.sfutriage.model.DeadLetter}'s cut). */
  static final int RAW_BYTES = 2000;

  /** Parses one record; {@code line[0..len)} holds its bytes (UTF-8 expected, not yet checked). */
  protected abstract void parseLine(String location, byte[] line, int len, RecordSink<T> sink);

  /**
   * A parser's fast path, tried before {@link #parseLine}: true when it has already given the record
   * to the sink (a valid record the run does not need), so its location is never built.
   */
  protected boolean filteredFast(byte[] line, int len, RecordSink<T> sink) {
    return false;
  }

  @Override
  public void parse(String fileName, InputStream stream, RecordSink<T> sink) throws IOException {
    BufferedInputStream in = TextCheck.open(fileName, stream, sink);
    if (in == null) {
      return;
    }
    skipUtf8Bom(in);
    Records records = new Records(fileName, sink);
    if (firstNonBlank(in) == '[') {
      records.splitArray(in);
    } else {
      records.splitLines(in);
    }
  }

  static void skipUtf8Bom(BufferedInputStream in) throws IOException {
    in.mark(3);
    if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
      in.reset();
    }
  }

  private static int firstNonBlank(BufferedInputStream in) throws IOException {
    in.mark(TextCheck.SNIFF_BYTES);
    try {
      for (int i = 0; i < TextCheck.SNIFF_BYTES; i++) {
        int c = in.read();
        if (c < 0 || !isBlank(c) && c != '\n') {
          return c;
        }
      }
      return -1;
    } finally {
      in.reset();
    }
  }

  private static boolean isBlank(int b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  /** The record being collected, bounded by {@link #MAX_RECORD_BYTES}, and where it started. */
  private final class Records {
    private final String fileName;
    private final RecordSink<T> sink;
    private final RecordBuffer rec = new RecordBuffer();
    private long line = 1;
    private long startLine = 1;

    Records(String fileName, RecordSink<T> sink) {
      this.fileName = fileName;
      this.sink = sink;
    }

    /** NDJSON: copies each run up to a newline in one piece. */
    void splitLines(InputStream in) throws IOException {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        int i = 0;
        while (i < n) {
          int nl = i;
          while (nl < n && buf[nl] != '\n') {
            nl++;
          }
          rec.append(buf, i, nl - i);
          if (nl == n) {
            break;
          }
          emit();
          line++;
          startLine = line;
          i = nl + 1;
        }
      }
      emit();
    }

    /** A JSON array of rows: each element (at nesting depth 0) is one record; text after it, one per line. */
    void splitArray(InputStream in) throws IOException {
      byte[] buf = new byte[64 * 1024];
      boolean inArray = false;
      boolean started = false;
      boolean inString = false;
      boolean escape = false;
      int depth = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte c = buf[i];
          if (!started) {
            if (c == '\n') {
              line++;
              continue;
            }
            if (isBlank(c) || inArray && c == ',') {
              continue;
            }
            if (c == '[' && !inArray) {
              inArray = true;
              continue;
            }
            if (c == ']' && inArray) {
              inArray = false;
              continue;
            }
            started = true;
            startLine = line;
          }
          boolean end = false;
          if (inString) {
            if (escape) {
              escape = false;
            } else if (c == '\\') {
              escape = true;
            } else if (c == '"') {
              inString = false;
            }
          } else if (c == '"') {
            inString = true;
          } else if (c == '{' || c == '[') {
            depth++;
          } else if (c == '}' || c == ']') {
            if (depth > 0) {
              depth--;
            } else if (c == ']' && inArray) {
              inArray = false;
              end = true;
            }
          } else if (depth == 0 && (inArray ? c == ',' : c == '\n')) {
            end = true;
          }
          if (end) {
            emit();
            started = false;
          } else {
            rec.append(c);
          }
          if (c == '\n') {
            line++;
          }
        }
      }
      emit();
    }

    private void emit() {
      int n = rec.lengthWithoutCr();
      if (rec.overLimit()) {
        rec.deadLetterOversize(fileName + ":" + startLine, sink);
      } else if (!blank(rec.bytes, n) && !filteredFast(rec.bytes, n, sink)) {
        parseLine(fileName + ":" + startLine, rec.bytes, n, sink);
      }
      rec.reset();
    }
  }

  private static boolean blank(byte[] line, int len) {
    for (int i = 0; i < len; i++) {
      if (!isBlank(line[i]) && line[i] != '\n') {
        return false;
      }
    }
    return true;
  }

  /** Raw text of a record for a dead letter: its first {@link #RAW_BYTES} bytes as read (invalid UTF-8 replaced). */
  protected static String raw(byte[] line, int len) {
    return new String(line, 0, Math.min(len, RAW_BYTES), StandardCharsets.UTF_8);
  }
}
