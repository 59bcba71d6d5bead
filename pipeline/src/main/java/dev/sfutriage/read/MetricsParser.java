package dev.sfutriage.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus {@code /api/v1/query_range} answers ({@code resultType: matrix}), one document per
 * file. Every sample {@code [unix_seconds, "value"]} is one record; a document that is not such an
 * answer is one dead-lettered record.
 */
public final class MetricsParser implements FileParser<Event> {
  private final IngestConfig config;

  public MetricsParser(IngestConfig config) {
    this.config = config;
  }

  @Override
  public String source() {
    return Sources.METRICS;
  }

  @Override
  public void parse(String fileName, InputStream in, RecordSink<Event> sink) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (bytes.length == 0) {
      return;
    }
    String location = fileName + ":1";
    JsonNode doc;
    try {
      doc = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      sink.deadLetter(location, "not a Prometheus answer: " + Json.describeParseError(e), LineParser.raw(bytes, bytes.length));
      return;
    }
    if (doc == null || !doc.isObject()) {
      if (doc != null) {
        sink.deadLetter(location, "not a Prometheus answer: expected a JSON object", LineParser.raw(bytes, bytes.length));
      }
      return;
    }
    String status = Json.text(doc, "status");
    if (status != null && !"success".equals(status)) {
      sink.deadLetter(location, "Prometheus status '" + status + "': " + Json.text(doc, "error"), LineParser.raw(bytes, bytes.length));
      return;
    }
    JsonNode data = Json.get(doc, "data");
    String type = Json.text(data, "resultType");
    JsonNode result = Json.get(data, "result");
    if (!"matrix".equals(type) || result == null || !result.isArray()) {
      sink.deadLetter(location, "not a range-query answer: data.resultType is " + type
          + (result == null || !result.isArray() ? ", data.result is not a list" : ""), LineParser.raw(bytes, bytes.length));
      return;
    }
    for (int i = 0; i < result.size(); i++) {
      readSeries(fileName, i, result.get(i), sink);
    }
  }

  private void readSeries(String fileName, int index, JsonNode series, RecordSink<Event> sink) {
    JsonNode values = Json.get(series, "values");
    String where = fileName + ":result[" + index + "]";
    if (values == null || !values.isArray()) {
      sink.deadLetter(where, "series has no values list", String.valueOf(series));
      return;
    }
    JsonNode metric = Json.get(series, "metric");
    String name = Json.text(metric, "__name__");
    Map<String, String> labels = new TreeMap<>();
    if (metric != null && metric.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("__name__") && e.getValue().isValueNode()) {
          labels.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    String seriesKey = name + labels;
    for (int j = 0; j < values.size(); j++) {
      JsonNode sample = values.get(j);
      String location = where + ".values[" + j + "]";
      if (name == null) {
        sink.deadLetter(location, "series without __name__", String.valueOf(sample));
        continue;
      }
      if (!sample.isArray() || sample.size() != 2) {
        sink.deadLetter(location, "sample is not [time, value]", String.valueOf(sample));
        continue;
      }
      Double ts = Json.decimal(sample.get(0));
      Double value = Json.decimal(sample.get(1));
      if (ts == null || ts.isNaN() || ts.isInfinite()) {
        sink.deadLetter(location, "sample time is not a number", String.valueOf(sample));
        continue;
      }
      if (value == null || value.isNaN() || value.isInfinite()) {
        sink.deadLetter(location, "sample value is not a finite number", String.valueOf(sample));
        continue;
      }
      if (!config.keeps(source(), name)) {
        sink.filtered(Filters.IRRELEVANT);
        continue;
      }
      Event.Builder b = Event.builder(source(), name).location(location)
          .time(Math.round(ts * 1_000_000d)).num("value", value).attr("series", seriesKey);
      labels.forEach(b::attr);
      sink.accept(b.build(), null);
    }
  }
}
