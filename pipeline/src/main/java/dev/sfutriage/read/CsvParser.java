package dev.sfutriage.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV with a header row (psql {@code \copy ... csv header}, ticket exports). Quoted fields may span
 * lines (JSON payloads do); the location names the line a record starts on. A record with invalid
 * UTF-8 or a wrong number of fields is dead-lettered; a broken quote makes the rest of the file one
 * dead-lettered record, since no later boundary can be trusted.
 */
public abstract class CsvParser<T> implements FileParser<T> {
  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
          .setAllowMissingColumnNames(true).setTrim(false).get();

  /** Maps one record (header name, lower-cased → value; empty values absent) to one sink call. */
  protected abstract void parseRecord(String location, Map<String, String> row, String raw, RecordSink<T> sink);

  /** Columns that must be in the header; a file without them is one dead-lettered record. */
  protected abstract List<String> requiredColumns();

  @Override
  public void parse(String fileName, InputStream in, RecordSink<T> sink) throws IOException {
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    CSVParser parser;
    try {
      parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
    } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
      sink.deadLetter(fileName + ":1", "unreadable CSV header: " + e.getMessage(), "");
      return;
    }
    List<String> header = parser.getHeaderNames();
    if (header.isEmpty()) {
      return; // empty file: nothing read
    }
    List<String> lower = header.stream().map(h -> h.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT)).toList();
    for (String col : requiredColumns()) {
      if (!lower.contains(col)) {
        sink.deadLetter(fileName + ":1", "CSV header lacks column '" + col + "' (has " + lower + ")", String.join(",", header));
        return;
      }
    }
    long nextLine = 2;
    Iterator<CSVRecord> it = parser.iterator();
    while (true) {
      CSVRecord rec;
      try {
        if (!it.hasNext()) {
          break;
        }
        rec = it.next();
      } catch (UncheckedIOException | IllegalStateException e) {
        sink.deadLetter(fileName + ":" + nextLine, "malformed CSV from here to the end of the file: "
            + e.getMessage(), "");
        return;
      }
      String location = fileName + ":" + nextLine;
      nextLine = parser.getCurrentLineNumber() + 1;
      String raw = String.join(",", rec.values());
      if (raw.indexOf('\uFFFD') >= 0) {
        sink.deadLetter(location, "invalid UTF-8", raw);
        continue;
      }
      if (rec.size() != header.size()) {
        sink.deadLetter(location, "expected " + header.size() + " CSV fields, found " + rec.size(), raw);
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < lower.size(); i++) {
        String v = rec.get(i);
        if (v != null && !v.isEmpty()) {
          row.put(lower.get(i), v);
        }
      }
      try {
        parseRecord(location, row, raw, sink);
      } catch (RuntimeException e) {
        sink.deadLetter(location, "unexpected record shape: " + e.getMessage(), raw);
      }
    }
  }
}
