package dev.sfutriage.connectors;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * Beam's fake, plus what real BigQuery does with a partition decorator {@code table$YYYYMMDD} of a
 * table partitioned on a DATE column: the decorated name is the base table, and truncating it removes
 * only that day's rows. (The plain fake treats {@code table$YYYYMMDD} as an unknown table, so a
 * WRITE_TRUNCATE load would append.)
 */
class PartitionedFakeDatasetService extends FakeDatasetService {
  /** Every partition truncated, in this JVM (the fake's state is static, and runners copy services). */
  static final List<String> TRUNCATED = java.util.Collections.synchronizedList(new ArrayList<>());

  private final String partitionField;

  PartitionedFakeDatasetService(String partitionField) {
    this.partitionField = partitionField;
  }

  /** A FakeJobService whose load jobs see this dataset service. */
  FakeJobService jobService() throws ReflectiveOperationException {
    FakeJobService js = new FakeJobService();
    Field f = FakeJobService.class.getDeclaredField("datasetService");
    f.setAccessible(true);
    f.set(js, this);
    return js;
  }

  @Override
  public Table getTableImpl(TableReference ref, List<String> selectedFields,
      BigQueryServices.DatasetService.TableMetadataView view) throws InterruptedException, IOException {
    if (!ref.getTableId().contains("$")) {
      return super.getTableImpl(ref, selectedFields, view);
    }
    Table base = super.getTableImpl(base(ref), selectedFields, view);
    return base == null ? null : base.clone().setTableReference(ref.clone());
  }

  @Override
  public void deleteTable(TableReference ref) throws IOException, InterruptedException {
    if (!ref.getTableId().contains("$")) {
      super.deleteTable(ref);
      return;
    }
    TRUNCATED.add(ref.getDatasetId() + "." + ref.getTableId());
    String d = ref.getTableId().substring(ref.getTableId().indexOf('$') + 1);
    String day = d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8);
    TableReference b = base(ref);
    Table table = super.getTableImpl(b, null, null);
    if (table == null) {
      return;
    }
    List<TableRow> keep = new ArrayList<>();
    for (TableRow r : getAllRows(b.getProjectId(), b.getDatasetId(), b.getTableId())) {
      if (!day.equals(String.valueOf(r.get(partitionField)))) {
        keep.add(r);
      }
    }
    super.deleteTable(b);
    super.createTable(table.clone());
    if (!keep.isEmpty()) {
      insertAll(b, keep, null);
    }
  }

  private static TableReference base(TableReference ref) {
    return ref.clone().setTableId(ref.getTableId().substring(0, ref.getTableId().indexOf('$')));
  }
}
