package dev.sfutriage.connectors;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import dev.sfutriage.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryUtils;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;

/**
 * Fixture NDJSON rows → a table of Beam's {@link FakeDatasetService} that an EXPORT read can extract.
 * The schema is inferred from the rows (INT64 that arrives as text becomes INTEGER). The fake's
 * extract writes cell values straight into Avro records, so nested cells are stored as Avro records
 * (which also serialize to JSON, as the fake's size bookkeeping needs).
 */
final class FakeTables {
  private FakeTables() {}

  /** Every JSON object line of the files under {@code dir} (.gz too); lines that are not JSON are skipped. */
  static List<JsonNode> ndjson(Path dir) {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        InputStream in = Files.newInputStream(f);
        if (f.toString().endsWith(".gz")) {
          in = new GZIPInputStream(in);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            try {
              JsonNode n = Json.MAPPER.readTree(line);
              if (n != null && n.isObject()) {
                out.add(n);
              }
            } catch (IOException notJson) {
              // BigQuery would never have loaded it
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Creates {@code table} with a schema inferred from {@code rows} and inserts them. */
  static void load(FakeDatasetService ds, TableReference table, List<JsonNode> rows) throws Exception {
    Map<String, Object> shape = new LinkedHashMap<>();
    for (JsonNode r : rows) {
      mergeObject(shape, r);
    }
    TableSchema schema = new TableSchema().setFields(fields(shape));
    ds.createTable(new Table().setTableReference(table).setSchema(schema));
    Schema avro = BigQueryUtils.toGenericAvroSchema(table.getTableId(), schema.getFields());
    List<TableRow> tableRows = new ArrayList<>();
    for (JsonNode r : rows) {
      TableRow row = new TableRow();
      for (Schema.Field f : avro.getFields()) {
        row.set(f.name(), value(f.schema(), r.get(f.name())));
      }
      tableRows.add(row);
    }
    ds.insertAll(table, tableRows, null);
  }

  // --- schema inference: a shape is a String type name, a Map (RECORD) or a List of one shape (REPEATED)

  private static void mergeObject(Map<String, Object> shape, JsonNode obj) {
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      shape.put(e.getKey(), merge(shape.get(e.getKey()), e.getValue()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object known, JsonNode v) {
    if (v == null || v.isNull()) {
      return known;
    }
    if (v.isObject()) {
      Map<String, Object> m = known instanceof Map ? (Map<String, Object>) known : new LinkedHashMap<>();
      mergeObject(m, v);
      return m;
    }
    if (v.isArray()) {
      Object element = known instanceof List ? ((List<Object>) known).get(0) : null;
      for (JsonNode x : v) {
        element = merge(element, x);
      }
      List<Object> l = new ArrayList<>();
      l.add(element);
      return l;
    }
    String t = v.isIntegralNumber() || (v.isTextual() && v.asText().matches("-?[0-9]{1,18}")) ? "INTEGER"
        : v.isNumber() ? "FLOAT" : v.isBoolean() ? "BOOLEAN" : "STRING";
    if (known == null || known.equals(t)) {
      return t;
    }
    if ((known.equals("INTEGER") && t.equals("FLOAT")) || (known.equals("FLOAT") && t.equals("INTEGER"))) {
      return "FLOAT";
    }
    return "STRING";
  }

  private static List<TableFieldSchema> fields(Map<String, Object> shape) {
    List<TableFieldSchema> out = new ArrayList<>();
    shape.forEach((name, s) -> out.add(field(name, s)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static TableFieldSchema field(String name, Object s) {
    TableFieldSchema f = new TableFieldSchema().setName(name).setMode("NULLABLE");
    if (s instanceof List) {
      Object element = ((List<Object>) s).get(0);
      f = field(name, element == null ? "STRING" : element).setMode("REPEATED");
    } else if (s instanceof Map) {
      f.setType("RECORD").setFields(fields((Map<String, Object>) s));
    } else {
      f.setType(s == null ? "STRING" : (String) s);
    }
    return f;
  }

  // --- values as the fake's Avro writer needs them

  private static Object value(Schema schema, JsonNode v) {
    if (schema.getType() == Schema.Type.UNION) {
      if (v == null || v.isNull()) {
        return null;
      }
      for (Schema s : schema.getTypes()) {
        if (s.getType() != Schema.Type.NULL) {
          return value(s, v);
        }
      }
    }
    switch (schema.getType()) {
      case ARRAY:
        List<Object> l = new ArrayList<>();
        if (v != null && v.isArray()) {
          for (JsonNode x : v) {
            l.add(value(schema.getElementType(), x));
          }
        }
        return l;
      case RECORD:
        JsonRecord rec = new JsonRecord(schema);
        for (Schema.Field f : schema.getFields()) {
          rec.put(f.name(), value(f.schema(), v == null ? null : v.get(f.name())));
        }
        return rec;
      case LONG:
        return v == null || v.isNull() ? null : Long.parseLong(v.asText());
      case DOUBLE:
        return v == null || v.isNull() ? null : v.asDouble();
      case BOOLEAN:
        return v == null || v.isNull() ? null : v.asBoolean();
      default:
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }
  }

  /** An Avro record that Jackson writes as its fields (the fake measures rows as JSON). */
  static final class JsonRecord extends GenericData.Record {
    JsonRecord(Schema schema) {
      super(schema);
    }

    @JsonValue
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Schema.Field f : getSchema().getFields()) {
        m.put(f.name(), get(f.pos()));
      }
      return m;
    }
  }
}
