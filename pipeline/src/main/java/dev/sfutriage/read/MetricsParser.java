package dev.sfutriage.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.util.Json;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Prometheus {@code /api/v1/query_range} answers ({@code resultType: matrix}), one document per
 * file, streamed: one series at a time, one sample at a time, never the whole document in memory
 * (a gzip of a few MB can expand to GBs), and at most {@link #MAX_DOCUMENT_BYTES} of a document.
 *
 * <p>Every sample {@code [unix_seconds, "value"]} is one record. By their meaning: a {@code "NaN"}
 * value (a staleness marker, 0/0) and {@code "+Inf"}/{@code "-Inf"} (a division by zero) are
 * filtered with a reason, since no counter or gauge the rules read has one and increase()
 * arithmetic on them is undefined; a series without {@code __name__} (the result of rate(),
 * increase(), sum()) is filtered: the rules compute increase() themselves from raw counters and a
 * rate cannot be taken for the counter; {@code warnings}/{@code infos} do not change the samples.
 * The same sample of the same series (name, labels, time) twice — an HA pair of Prometheus servers
 * exported side by side — is a duplicate. A document that is not such an answer (an error answer, an
 * instant vector) is one dead letter; a document that breaks off keeps the samples read before.
 */
public final class MetricsParser implements FileParser<Event> {
  /** The most of one document that is read (256 MiB decompressed: a day of 15 s samples of ~1000 series). */
  public static final long MAX_DOCUMENT_BYTES = 256L << 20;

  /** Reads one value of a stream as a tree (the mapper's trailing-token check is for whole documents). */
  private static final ObjectReader TREE = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final IngestConfig config;
  private final long maxDocumentBytes;

  public MetricsParser(IngestConfig config) {
    this(config, MAX_DOCUMENT_BYTES);
  }

  /** With another cap: for tests that must not stream 256 MiB to see it work. */
  MetricsParser(IngestConfig config, long maxDocumentBytes) {
    this.config = config;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  @Override
  public String source() {
    return Sources.METRICS;
  }

  @Override
  public void parse(String fileName, InputStream stream, RecordSink<Event> sink) throws IOException {
    BufferedInputStream in = TextCheck.open(fileName, stream, sink);
    if (in == null) {
      return;
    }
    String location = fileName + ":1";
    String head = head(in);
    Document doc = new Document(fileName, sink);
    try (JsonParser p = Json.MAPPER.getFactory().createParser(new Capped(in))) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return; // an empty file holds no record
      }
      if (t != JsonToken.START_OBJECT) {
        sink.deadLetter(location, "not a Prometheus answer: expected a JSON object", head);
        return;
      }
      doc.root(p);
      if (p.nextToken() != null) {
        sink.deadLetter(fileName + ":" + p.currentLocation().getLineNr(), "not a Prometheus answer: content after the"
            + " end of the JSON document" + (doc.samples > 0 ? " (the " + doc.samples + " samples before it were read)" : ""), head);
        return;
      }
    } catch (JsonProcessingException e) {
      String at = fileName + ":" + (e.getLocation() == null ? 1 : e.getLocation().getLineNr());
      sink.deadLetter(at, "not a Prometheus answer: " + Json.describeParseError(e)
          + (doc.samples > 0 ? " (the " + doc.samples + " samples before it were read)" : ""), head);
      return;
    } catch (TooLarge e) {
      sink.deadLetter(location, String.format(Locale.ROOT, "document over the %d MiB limit: the rest after %d bytes and"
          + " %d samples was not read", maxDocumentBytes >> 20, maxDocumentBytes, doc.samples), head);
      return;
    }
    if (doc.status != null && !"success".equals(doc.status)) {
      sink.deadLetter(location, "Prometheus status '" + doc.status + "': " + doc.error, head);
    } else if (!doc.sawResult || !"matrix".equals(doc.resultType)) {
      sink.deadLetter(location, "not a range-query answer: data.resultType is " + doc.resultType
          + (doc.sawResult ? "" : ", data.result is not a list"), head);
    }
  }

  /** The state of one document as it streams by. */
  private final class Document {
    private final String fileName;
    private final RecordSink<Event> sink;
    @Nullable String status;
    @Nullable String error;
    @Nullable String resultType;
    boolean sawResult;
    long samples;
    private int series;

    Document(String fileName, RecordSink<Event> sink) {
      this.fileName = fileName;
      this.sink = sink;
    }

    void root(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("status".equals(field) || "error".equals(field)) {
          String text = v.isScalarValue() ? p.getValueAsString() : null;
          if ("status".equals(field)) {
            status = text;
          } else {
            error = text;
          }
        } else if ("data".equals(field) && v == JsonToken.START_OBJECT) {
          data(p);
        } else {
          p.skipChildren(); // warnings, infos, errorType, anything newer
        }
      }
    }

    private void data(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("resultType".equals(field)) {
          resultType = v.isScalarValue() ? p.getValueAsString() : null;
        } else if ("result".equals(field) && v == JsonToken.START_ARRAY
            && (resultType == null || "matrix".equals(resultType)) && (status == null || "success".equals(status))) {
          sawResult = true;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            series(p, series++);
          }
        } else {
          sawResult |= "result".equals(field) && v == JsonToken.START_ARRAY;
          p.skipChildren();
        }
      }
    }

    /** One element of data.result; samples that come before the metric are held until it is known. */
    private void series(JsonParser p, int index) throws IOException {
      String where = fileName + ":result[" + index + "]";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        JsonNode bad = TREE.readTree(p);
        sink.deadLetter(where, "series is not a JSON object", String.valueOf(bad));
        return;
      }
      Series s = new Series(where);
      boolean sawValues = false;
      List<JsonNode> early = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("metric".equals(field)) {
          s.metric(TREE.readTree(p));
          early.forEach(s::sample);
          early.clear();
        } else if (("values".equals(field) || "histograms".equals(field)) && v == JsonToken.START_ARRAY) {
          sawValues = true;
          boolean histograms = "histograms".equals(field);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode sample = TREE.readTree(p);
            if (histograms) {
              s.histogram(sample);
            } else if (s.known) {
              s.sample(sample);
            } else {
              early.add(sample);
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (!s.known) {
        s.metric(null);
        early.forEach(s::sample);
      }
      if (!sawValues) {
        sink.deadLetter(where, "series has no values list", "");
      }
    }

    /** One series: its name, labels and key, and the samples counted under it. */
    private final class Series {
      private final String where;
      private int next;
      boolean known;
      @Nullable String name;
      final Map<String, String> labels = new TreeMap<>();
      String key = "";

      Series(String where) {
        this.where = where;
      }

      void metric(@Nullable JsonNode metric) {
        known = true;
        name = Json.text(metric, "__name__");
        if (metric != null && metric.isObject()) {
          Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("__name__") && e.getValue().isValueNode()) {
              labels.put(e.getKey(), e.getValue().asText());
            }
          }
        }
        key = name + labels;
      }

      void histogram(JsonNode sample) {
        next++;
        samples++;
        sink.filtered(Filters.METRIC_HISTOGRAM);
      }

      void sample(JsonNode sample) {
        String location = where + ".values[" + next++ + "]";
        samples++;
        if (!sample.isArray() || sample.size() != 2) {
          sink.deadLetter(location, "sample is not [time, value]", String.valueOf(sample));
          return;
        }
        Double ts = Json.decimal(sample.get(0));
        if (ts == null || ts.isNaN() || ts.isInfinite()) {
          sink.deadLetter(location, "sample time is not a number", String.valueOf(sample));
          return;
        }
        Double value = value(sample.get(1));
        if (value == null) {
          sink.deadLetter(location, "sample value is not a number", String.valueOf(sample));
          return;
        }
        if (name == null) {
          sink.filtered(Filters.UNNAMED_SERIES);
        } else if (!config.keeps(source(), name)) {
          sink.filtered(Filters.IRRELEVANT);
        } else if (value.isNaN()) {
          sink.filtered(Filters.METRIC_NAN);
        } else if (value.isInfinite()) {
          sink.filtered(Filters.METRIC_INFINITE);
        } else {
          long micros = Math.round(ts * 1_000_000d);
          Event.Builder b = Event.builder(source(), name).location(location)
              .time(micros).num("value", value).attr("series", key);
          labels.forEach(b::attr);
          sink.accept(b.build(), "sample:" + key + "@" + micros);
        }
      }
    }
  }

  /** Prometheus writes values as text: a number, or "NaN", "+Inf", "-Inf" (Go's spellings; "Inf" too). */
  private static @Nullable Double value(@Nullable JsonNode v) {
    if (v != null && v.isTextual()) {
      switch (v.asText().trim()) {
        case "NaN":
          return Double.NaN;
        case "+Inf":
        case "Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    return Json.decimal(v);
  }

  private static String head(BufferedInputStream in) throws IOException {
    in.mark(LineParser.RAW_BYTES);
    byte[] b = new byte[LineParser.RAW_BYTES];
    int n = 0;
    int r;
    while (n < b.length && (r = in.read(b, n, b.length - n)) > 0) {
      n += r;
    }
    in.reset();
    return LineParser.raw(b, n);
  }

  /** Signals that a document went past the cap. */
  private static final class TooLarge extends IOException {
    TooLarge() {
      super("document too large");
    }
  }

  /** Stops reading a document at {@link #maxDocumentBytes}. */
  private final class Capped extends FilterInputStream {
    private long read;

    Capped(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        count(1);
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > maxDocumentBytes) {
        throw new TooLarge();
      }
    }
  }
}
