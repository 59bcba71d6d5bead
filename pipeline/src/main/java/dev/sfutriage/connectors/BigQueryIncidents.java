package dev.sfutriage.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import dev.sfutriage.model.Incident;
import dev.sfutriage.report.JsonOut;
import dev.sfutriage.report.Redactor;
import dev.sfutriage.util.Json;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The run's incidents into a BigQuery table day-partitioned on {@code report_date}: FILE_LOADS into
 * the partition decorator {@code table$YYYYMMDD} with WRITE_TRUNCATE, so a re-run of a day replaces
 * that day and leaves every other day alone. Rows are the incidents.jsonl objects after
 * {@link Redactor#redact} (the one redaction point), plus report_date.
 */
public final class BigQueryIncidents extends PTransform<PCollection<Incident>, WriteResult> {
  private final TableReference table;
  private final LocalDate reportDate;
  private final @Nullable BigQueryServices testServices;

  public BigQueryIncidents(String tableSpec, LocalDate reportDate, @Nullable BigQueryServices testServices) {
    this.table = parse(tableSpec);
    this.reportDate = reportDate;
    this.testServices = testServices;
  }

  /** {@code <project>.<dataset>.<table>} (or {@code project:dataset.table}), each part checked. */
  public static TableReference parse(String spec) {
    String[] p = spec == null ? new String[0] : spec.replaceFirst(":", ".").split("\\.", -1);
    if (p.length != 3 || !p[0].matches("[A-Za-z0-9-]+") || !p[1].matches("[A-Za-z0-9_]+") || !p[2].matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("--incidentsTable: expected <project>.<dataset>.<table>, got '" + spec + "'");
    }
    return new TableReference().setProjectId(p[0]).setDatasetId(p[1]).setTableId(p[2]);
  }

  /** The partition of {@code day}: {@code table$YYYYMMDD}. */
  public static TableReference partition(TableReference table, LocalDate day) {
    return table.clone().setTableId(table.getTableId() + "$" + day.format(DateTimeFormatter.BASIC_ISO_DATE));
  }

  @Override
  public WriteResult expand(PCollection<Incident> incidents) {
    BigQueryIO.Write<TableRow> write = BigQueryIO.writeTableRows()
        .to(partition(table, reportDate))
        .withSchema(schema())
        .withTimePartitioning(new TimePartitioning().setType("DAY").setField("report_date"))
        .withMethod(BigQueryIO.Write.Method.FILE_LOADS)
        .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_TRUNCATE);
    if (testServices != null) {
      write = write.withTestServices(testServices).withoutValidation();
    }
    return incidents.apply("IncidentRows", ParDo.of(new RowFn(reportDate.toString())))
        .setCoder(TableRowJsonCoder.of())
        .apply("WriteIncidents", write);
  }

  /** The table's columns: incidents.jsonl's fields and report_date. */
  public static TableSchema schema() {
    List<TableFieldSchema> f = new ArrayList<>();
    for (String s : List.of("incident_id", "symptom", "cause", "seminar_id", "session_id", "user_id", "platform",
        "app_version")) {
      f.add(col(s, "STRING"));
    }
    f.add(col("first_seen", "TIMESTAMP"));
    f.add(col("last_seen", "TIMESTAMP"));
    for (String s : List.of("severity", "title", "summary", "resolution")) {
      f.add(col(s, "STRING"));
    }
    f.add(col("checklist", "INTEGER").setMode("REPEATED"));
    f.add(col("evidence", "RECORD").setMode("REPEATED").setFields(List.of(col("source", "STRING"),
        col("timestamp", "TIMESTAMP"), col("event", "STRING"), col("detail", "STRING"), col("location", "STRING"))));
    f.add(col("report_date", "DATE").setMode("REQUIRED"));
    return new TableSchema().setFields(f);
  }

  private static TableFieldSchema col(String name, String type) {
    return new TableFieldSchema().setName(name).setType(type).setMode("NULLABLE");
  }

  /** Incident → redacted JSON → TableRow. */
  static final class RowFn extends DoFn<Incident, TableRow> {
    private final String reportDate;
    /** The launcher's pseudonym key: a worker's environment does not have it. */
    private final @Nullable String pseudonymKey = Redactor.currentKey();

    RowFn(String reportDate) {
      this.reportDate = reportDate;
    }

    @Setup
    public void setUp() {
      Redactor.useKey(pseudonymKey);
    }

    @ProcessElement
    public void process(@Element Incident i, OutputReceiver<TableRow> out) {
      out.output(row(i, reportDate));
    }
  }

  static TableRow row(Incident i, String reportDate) {
    JsonNode n = Redactor.redactValues(JsonOut.incident(i));
    TableRow row = Json.MAPPER.convertValue(n, TableRow.class);
    row.set("report_date", reportDate);
    return row;
  }
}
