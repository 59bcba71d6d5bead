package dev.sfutriage.read;

import java.io.Serializable;

/** Reads one row of a table (BigQuery TableRow, JDBC result row) into at most one record. */
public interface RowParser<I, T> extends Serializable {
  String source();

  void parse(I row, RecordSink<T> sink);
}
