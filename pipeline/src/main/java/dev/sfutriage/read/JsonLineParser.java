package dev.sfutriage.read;

import java.util.Locale;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.util.Json;
import java.io.IOException;

/** NDJSON: each line one JSON object, handed to {@link #parseObject} (also used for BigQuery rows). */
public abstract class JsonLineParser<T> extends LineParser<T> {
  protected final IngestConfig config;

  protected JsonLineParser(IngestConfig config) {
    this.config = config;
  }

  /**
   * Maps one JSON object to at most one record, calling the sink exactly once. {@code raw} is the
   * record's text as read (bounded), or null for a table row.
   */
  public abstract void parseObject(String location, JsonNode obj, String raw, RecordSink<T> sink);

  @Override
  protected void parseLine(String location, byte[] line, int len, RecordSink<T> sink) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line, 0, len);
    } catch (JsonProcessingException e) {
      sink.deadLetter(location, Json.describeParseError(e), raw(line, len));
      return;
    } catch (IOException e) {
      sink.deadLetter(location, "unreadable line: " + e.getMessage(), raw(line, len));
      return;
    }
    if (node == null || !node.isObject()) {
      String kind = node == null ? "nothing" : "a JSON " + node.getNodeType().toString().toLowerCase(Locale.ROOT);
      sink.deadLetter(location, "expected a JSON object, got " + kind, raw(line, len));
      return;
    }
    String raw = raw(line, len);
    try {
      parseObject(location, node, raw, sink);
    } catch (RuntimeException e) {
      // A shape no rule anticipated (a wrong JSON type deep inside): the record is bad, not the run.
      sink.deadLetter(location, "unexpected record shape: " + e.getMessage(), raw);
    }
  }

  /**
   * Raw text for a dead letter: the bytes as read when the record came from a file, the row as
   * JSON when it came from a table (a BigQuery row has no bytes of its own).
   */
  protected static String rawOf(JsonNode obj, String raw) {
    return raw != null ? raw : obj.toString();
  }
}
