package dev.sfutriage.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * CSV with a header row (psql {@code \copy ... csv header}, ticket exports). Quoted fields may span
 * lines (JSON payloads do); the location names the line a record starts on.
 *
 * <p>Record boundaries are found on the bytes by RFC 4180's rules (a field that starts with a quote
 * runs to the closing quote, {@code ""} inside it is a quote), one record at a time, and each record
 * is then split into fields by Commons CSV. A record with invalid UTF-8, a wrong number of fields or
 * a stray character after a closing quote is dead-lettered alone. A quote that never closes (the
 * file ends, or {@link LineParser#MAX_RECORD_BYTES} of the record go by, inside it) makes only the
 * line it opened on a dead letter: reading resynchronises at the next line, so one broken record
 * does not swallow the rest of the file. A file that is not UTF-8 text ({@link TextCheck}) is one
 * dead letter.
 */
public abstract class CsvParser<T> implements FileParser<T> {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(false).get();

  /** Maps one record (header name, lower-cased → value; empty values absent) to one sink call. */
  protected abstract void parseRecord(String location, Map<String, String> row, String raw, RecordSink<T> sink);

  /** Columns that must be in the header; a file without them is one dead-lettered record. */
  protected abstract List<String> requiredColumns();

  @Override
  public void parse(String fileName, InputStream stream, RecordSink<T> sink) throws IOException {
    BufferedInputStream in = TextCheck.open(fileName, stream, sink);
    if (in == null) {
      return;
    }
    LineParser.skipUtf8Bom(in);
    new Records(fileName, sink).read(in);
  }

  private enum State { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE }

  /** Splits the byte stream into records and hands each to {@link #record}. */
  private final class Records {
    private final String fileName;
    private final RecordSink<T> sink;
    private final RecordBuffer rec = new RecordBuffer();
    private State state = State.FIELD_START;
    /** Line the current record starts on, and the next line to be read. */
    private long startLine = 1;
    private long line = 1;
    /** Offset in {@code rec} of the record's second line (-1: still on its first). */
    private int secondLine = -1;
    private @Nullable List<String> header;
    private @Nullable List<String> columns;
    private boolean done;

    Records(String fileName, RecordSink<T> sink) {
      this.fileName = fileName;
      this.sink = sink;
    }

    /** Bytes still to be scanned: the input's buffer, and lines given back by a resync on top of it. */
    private final java.util.ArrayDeque<int[]> bounds = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<byte[]> segments = new java.util.ArrayDeque<>();

    void read(InputStream in) throws IOException {
      byte[] buf = new byte[64 * 1024];
      int n;
      while (!done && (n = in.read(buf)) > 0) {
        scan(buf, 0, n);
      }
      while (!done && state == State.QUOTED) {
        resync("the file ends inside it", false);
        drain();
      }
      if (!done) {
        end();
      }
    }

    private void scan(byte[] buf, int off, int n) {
      segments.push(buf);
      bounds.push(new int[] {off, off + n});
      drain();
    }

    /** Scans the segments, newest first; a resync pushes the rest of its record on top. */
    private void drain() {
      while (!done && !segments.isEmpty()) {
        byte[] buf = segments.peek();
        int[] b = bounds.peek();
        if (b[0] >= b[1]) {
          segments.pop();
          bounds.pop();
          continue;
        }
        byte c = buf[b[0]++];
        step(c);
      }
    }

    private void step(byte c) {
      switch (state) {
        case FIELD_START:
          state = c == '"' ? State.QUOTED : c == ',' ? State.FIELD_START : State.UNQUOTED;
          break;
        case UNQUOTED:
          state = c == ',' ? State.FIELD_START : State.UNQUOTED;
          break;
        case QUOTED:
          state = c == '"' ? State.AFTER_QUOTE : State.QUOTED;
          break;
        case AFTER_QUOTE:
          state = c == '"' ? State.QUOTED : c == ',' ? State.FIELD_START : State.AFTER_QUOTE;
          break;
        default:
          throw new IllegalStateException();
      }
      if (c == '\n' && state != State.QUOTED) {
        if (!end()) {
          line++;
          startLine = line;
          state = State.FIELD_START;
        }
        return;
      }
      if (c == '\n') {
        line++;
        if (secondLine < 0) {
          secondLine = rec.len + 1;
        }
      }
      rec.append(c);
      if (state == State.QUOTED && rec.size >= LineParser.MAX_RECORD_BYTES) {
        resync("1 MiB of the record went by inside it", false);
      }
    }

    /**
     * The record that starts on this line is broken (a quote opened on it never closes, or the lines
     * it swallowed do not make one record): that line alone is dead, reading goes on at the next one.
     */
    private void resync(String why, boolean atNewline) {
      int cut = secondLine < 0 ? rec.len : secondLine - 1;
      String location = fileName + ":" + startLine;
      String raw = LineParser.raw(rec.bytes, cut);
      if (header == null) {
        sink.deadLetter(location, "unreadable CSV header: a quote that never closes (" + why + ")", raw);
        done = true;
        return;
      }
      sink.deadLetter(location, "broken CSV quote: " + why + "; reading resumes at the next line", raw);
      byte[] rest = secondLine < 0 ? new byte[0] : Arrays.copyOfRange(rec.bytes, secondLine, rec.len + (atNewline ? 1 : 0));
      if (atNewline && rest.length > 0) {
        rest[rest.length - 1] = '\n';
      }
      reset();
      state = State.FIELD_START;
      line = startLine + 1;
      startLine = line;
      segments.push(rest);
      bounds.push(new int[] {0, rest.length});
    }

    /** Ends the record; true when it was broken over several lines and its later lines were given back. */
    private boolean end() {
      int n = rec.lengthWithoutCr();
      String location = fileName + ":" + startLine;
      if (rec.overLimit()) {
        rec.deadLetterOversize(location, sink);
        reset();
        return false;
      }
      if (n == 0 || header == null && isBlankLine(n)) {
        reset();
        return false;
      }
      String text = new String(rec.bytes, 0, n, StandardCharsets.UTF_8);
      if (header == null) {
        reset();
        header(location, text);
        return false;
      }
      String broken = secondLine >= 0 ? whyNotOneRecord(text) : null;
      if (broken != null) {
        resync(broken, true);
        return true;
      }
      reset();
      record(location, text);
      return false;
    }

    private void reset() {
      rec.reset();
      secondLine = -1;
    }

    /** Why a record spanning lines is not one record of the header's width (then its quote was broken), or null. */
    private @Nullable String whyNotOneRecord(String text) {
      try {
        CSVRecord r = single(text);
        return r.size() == header.size() ? null
            : "a quoted field opened on this line spans " + r.size() + " fields' worth of lines, not one record of "
                + header.size();
      } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
        return "a quoted field opened on this line does not close where a record could end";
      }
    }

    private boolean isBlankLine(int n) {
      for (int i = 0; i < n; i++) {
        if (rec.bytes[i] != ' ' && rec.bytes[i] != '\t' && rec.bytes[i] != '\r') {
          return false;
        }
      }
      return true;
    }

    private void header(String location, String text) {
      CSVRecord h = parseOrDeadLetter(location, text, "unreadable CSV header: ");
      if (h == null) {
        done = true;
        return;
      }
      List<String> names = h.toList();
      List<String> lower = names.stream().map(x -> x.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT)).toList();
      for (String col : requiredColumns()) {
        if (!lower.contains(col)) {
          sink.deadLetter(location, "CSV header lacks column '" + col + "' (has " + lower + ")", String.join(",", names));
          done = true;
          return;
        }
      }
      header = names;
      columns = lower;
    }

    private @Nullable CSVRecord parseOrDeadLetter(String location, String text, String why) {
      try {
        return single(text);
      } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
        sink.deadLetter(location, why + e.getMessage(), text);
        return null;
      }
    }

    private void record(String location, String text) {
      CSVRecord r = parseOrDeadLetter(location, text, "malformed CSV record: ");
      if (r == null) {
        return;
      }
      String raw = String.join(",", r.values());
      if (text.indexOf('\uFFFD') >= 0) {
        sink.deadLetter(location, "invalid UTF-8", raw);
        return;
      }
      if (r.size() != header.size()) {
        sink.deadLetter(location, "expected " + header.size() + " CSV fields, found " + r.size(), raw);
        return;
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        String v = r.get(i);
        if (v != null && !v.isEmpty()) {
          row.put(columns.get(i), v);
        }
      }
      try {
        parseRecord(location, row, raw, sink);
      } catch (RuntimeException e) {
        sink.deadLetter(location, "unexpected record shape: " + e.getMessage(), raw);
      }
    }
  }

  /** The one record of {@code text} (a record boundary was already found on the bytes). */
  private static CSVRecord single(String text) throws IOException {
    try (CSVParser p = CSVParser.builder().setReader(new java.io.StringReader(text)).setFormat(FORMAT).get()) {
      List<CSVRecord> all = p.getRecords();
      if (all.size() != 1) {
        throw new IllegalStateException("expected one record, found " + all.size());
      }
      return all.get(0);
    }
  }
}
