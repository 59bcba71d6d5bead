package dev.sfutriage.report;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV for spreadsheets, safe to open: cells that a spreadsheet would run as a formula are neutralised. */
public final class Csv {
  private Csv() {}

  public static String table(List<String> header, List<List<String>> rows) {
    StringWriter out = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
      p.printRecord(header);
      for (List<String> r : rows) {
        p.printRecord(r.stream().map(Csv::cell).toList());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** Formula injection (=, +, -, @, tab, CR at the start) gets a leading apostrophe, as OWASP advises. */
  public static String cell(String v) {
    if (v == null) {
      return "";
    }
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      return "'" + v;
    }
    return v;
  }
}
