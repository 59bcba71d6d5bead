package dev.sfutriage.queries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedOutputColumn;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses and analyzes every BigQuery query under {@code queries/bigquery/} with Google's ZetaSQL
 * analyzer (the GoogleSQL front end BigQuery shares), against {@link ExportSchemas}: the real
 * column sets of the Firebase exports and the incidents table. No cloud account is needed.
 *
 * <p>Each query's header comment is part of the contract and is checked too: its {@code @name TYPE}
 * lines are the parameters the analyzer accepts (an undeclared one fails), and its "Output
 * columns" list must equal what the query returns.
 */
class BigQuerySqlAnalysisTest {

  /** Maven runs the tests with the module directory ({@code pipeline/}) as working directory. */
  private static final Path QUERIES = Path.of("..", "queries", "bigquery");

  private static final Set<String> EXPECTED_QUERIES =
      Set.of(
          "analytics_livekit_events.sql",
          "crashlytics_livekit_events.sql",
          "report_weekly_trend.sql",
          "report_top_seminars.sql");

  /** Parameter types a header may declare, by their GoogleSQL names. */
  private static final Map<String, Type> PARAMETER_TYPES =
      Map.of(
          "STRING", ExportSchemas.STRING,
          "INT64", ExportSchemas.INT64,
          "FLOAT64", ExportSchemas.FLOAT64,
          "BOOL", ExportSchemas.BOOL,
          "DATE", ExportSchemas.DATE,
          "TIMESTAMP", ExportSchemas.TIMESTAMP,
          "ARRAY<STRING>", ExportSchemas.array(ExportSchemas.STRING));

  /** {@code --   @from_date   DATE   text...} */
  private static final Pattern PARAMETER_LINE =
      Pattern.compile("^--\\s+@(\\w+)\\s+(ARRAY<\\w+>|\\w+)\\s");

  private static LanguageOptions languageOptions;
  private static SimpleCatalog catalog;
  private static AutoCloseable registration;

  @BeforeAll
  static void loadAnalyzer() {
    languageOptions = new LanguageOptions().enableMaximumLanguageFeatures();
    languageOptions.setSupportsAllStatementKinds();
    // BigQuery's dialect: FLOAT64 not DOUBLE, no unsigned or proto types.
    languageOptions.setProductMode(ProductMode.PRODUCT_EXTERNAL);
    catalog = ExportSchemas.catalog(languageOptions);
    // Registered once, the catalog is not serialized again into the JNI analyzer for every query.
    registration = catalog.register();
  }

  @AfterAll
  static void unregisterCatalog() throws Exception {
    registration.close();
  }

  static Stream<String> queryFiles() throws IOException {
    try (Stream<Path> files = Files.list(QUERIES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void theQueryFolderHoldsTheProjectsQueries() throws IOException {
    assertEquals(EXPECTED_QUERIES, queryFiles().collect(Collectors.toSet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queryFiles")
  void analyzesAgainstTheRealSchemas(String fileName) throws IOException {
    QueryFile query = QueryFile.read(fileName);
    assertFalse(query.parameters().isEmpty(), "the header declares no @parameter");

    ResolvedQueryStmt statement = analyze(query.sql(), query.parameters());

    assertEquals(query.outputColumns(), outputNames(statement), "header's 'Output columns'");
    for (String name : query.parameters().keySet()) {
      assertTrue(
          Pattern.compile("@" + name + "\\b").matcher(query.body()).find(),
          "declared parameter @" + name + " is never used");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queryFiles")
  void readsTablesOnlyThroughBacktickQuotedPlaceholders(String fileName) throws IOException {
    QueryFile query = QueryFile.read(fileName);
    Set<String> placeholders =
        catalog.getTableList().stream().map(SimpleTable::getName).collect(Collectors.toSet());
    List<List<String>> tables =
        Analyzer.extractTableNamesFromStatement(query.sql(), analyzerOptions(Map.of()));
    assertFalse(tables.isEmpty());
    for (List<String> path : tables) {
      // One path element = one backtick-quoted name, the unit the pipeline substitutes.
      assertEquals(1, path.size(), path + " is not one backtick-quoted name");
      assertTrue(placeholders.contains(path.get(0)), path.get(0) + " is not a table placeholder");
    }
  }

  @Test
  void analyticsQueryReturnsRowsInTheExportShape() throws IOException {
    assertSameShapeAsTable("analytics_livekit_events.sql", ExportSchemas.analyticsEvents(), 14);
  }

  @Test
  void crashlyticsQueryReturnsRowsInTheExportShape() throws IOException {
    assertSameShapeAsTable("crashlytics_livekit_events.sql", ExportSchemas.crashlyticsEvents(), 19);
  }

  @Test
  void reportQueriesReturnTheDocumentedTypes() throws IOException {
    Map<String, Type> trend = outputTypes("report_weekly_trend.sql");
    assertEquals("DATE", describe(trend.get("week_start")));
    assertEquals("INT64", describe(trend.get("iso_week")));
    assertEquals("INT64", describe(trend.get("incidents")));
    assertEquals("INT64", describe(trend.get("change")));
    assertEquals("FLOAT64", describe(trend.get("change_pct")));

    Map<String, Type> top = outputTypes("report_top_seminars.sql");
    assertEquals("ARRAY<STRING>", describe(top.get("platforms")));
    assertEquals("TIMESTAMP", describe(top.get("first_seen")));
    assertEquals(
        "ARRAY<STRUCT<symptom STRING, cause STRING, incidents INT64>>",
        describe(top.get("by_cause")));
    assertEquals(
        "ARRAY<STRUCT<severity STRING, incidents INT64>>", describe(top.get("by_severity")));
  }

  // --- The check has teeth: broken copies of the real queries fail analysis. ---------------------

  @Test
  void aMisspelledColumnFailsAnalysis() throws IOException {
    QueryFile query = QueryFile.read("analytics_livekit_events.sql");
    SqlException e =
        assertThrows(
            SqlException.class,
            () -> analyze(query.mutate("event_params", "event_parms"), query.parameters()));
    assertTrue(e.getMessage().contains("event_parms"), e.getMessage());
  }

  @Test
  void aTypeErrorFailsAnalysis() throws IOException {
    // event_timestamp is INT64 microseconds, not a TIMESTAMP: comparing it with @from_ts is wrong.
    QueryFile query = QueryFile.read("analytics_livekit_events.sql");
    SqlException e =
        assertThrows(
            SqlException.class,
            () ->
                analyze(
                    query.mutate(
                        "TIMESTAMP_MICROS(event_timestamp) >= @from_ts",
                        "event_timestamp >= @from_ts"),
                    query.parameters()));
    assertTrue(e.getMessage().contains("No matching signature"), e.getMessage());
    assertTrue(e.getMessage().contains("INT64, TIMESTAMP"), e.getMessage());
  }

  @Test
  void theDocsOnlyColumnSpellingFailsAnalysis() throws IOException {
    // The Crashlytics docs say crashlytics_sdk_versions; real tables have crashlytics_sdk_version.
    QueryFile query = QueryFile.read("crashlytics_livekit_events.sql");
    SqlException e =
        assertThrows(
            SqlException.class,
            () ->
                analyze(
                    query.mutate("crashlytics_sdk_version", "crashlytics_sdk_versions"),
                    query.parameters()));
    assertTrue(e.getMessage().contains("crashlytics_sdk_versions"), e.getMessage());
  }

  @Test
  void aWronglyTypedParameterFailsAnalysis() throws IOException {
    // Binding the window as INT64 epoch micros instead of the TIMESTAMP the header promises.
    QueryFile query = QueryFile.read("analytics_livekit_events.sql");
    Map<String, Type> parameters = new LinkedHashMap<>(query.parameters());
    parameters.put("from_ts", ExportSchemas.INT64);
    assertThrows(SqlException.class, () -> analyze(query.sql(), parameters));
  }

  @Test
  void anUndeclaredParameterFailsAnalysis() throws IOException {
    QueryFile query = QueryFile.read("report_top_seminars.sql");
    Map<String, Type> parameters = new LinkedHashMap<>(query.parameters());
    parameters.remove("top_n");
    SqlException e = assertThrows(SqlException.class, () -> analyze(query.sql(), parameters));
    assertTrue(e.getMessage().contains("top_n"), e.getMessage());
  }

  @Test
  void aBackslashUnderscoreInAPlainStringLiteralIsRejected() {
    // Why the analytics query says STARTS_WITH(event_name, 'livekit_') and not LIKE 'livekit\_%'.
    String query = "SELECT event_name FROM `analytics_dataset.events_*` WHERE event_name LIKE ";
    SqlException e =
        assertThrows(SqlException.class, () -> analyze(query + "'livekit\\_%'", Map.of()));
    assertTrue(e.getMessage().contains("Illegal escape sequence"), e.getMessage());
    analyze(query + "r'livekit\\_%'", Map.of()); // the raw-string spelling is fine
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static void assertSameShapeAsTable(
      String fileName, SimpleTable table, int expectedColumns)
      throws IOException {
    Map<String, Type> types = outputTypes(fileName);
    assertEquals(expectedColumns, types.size());
    types.forEach(
        (name, type) -> {
          Type exported = table.findColumnByName(name).getType();
          assertTrue(
              type.equivalent(exported),
              name + ": query returns " + describe(type) + ", export has " + describe(exported));
        });
  }

  private static Map<String, Type> outputTypes(String fileName) throws IOException {
    QueryFile query = QueryFile.read(fileName);
    Map<String, Type> types = new LinkedHashMap<>();
    for (ResolvedOutputColumn c : analyze(query.sql(), query.parameters()).getOutputColumnList()) {
      types.put(c.getName(), c.getColumn().getType());
    }
    return types;
  }

  /**
   * A type in GoogleSQL notation. (The client's own Type.debugString()/typeName() need the native
   * identifier quoting and throw UnsupportedOperationException on STRUCTs.)
   */
  private static String describe(Type type) {
    if (type.isArray()) {
      return "ARRAY<" + describe(type.asArray().getElementType()) + ">";
    }
    if (type.isStruct()) {
      return type.asStruct().getFieldList().stream()
          .map(f -> f.getName() + " " + describe(f.getType()))
          .collect(Collectors.joining(", ", "STRUCT<", ">"));
    }
    return type.typeName(ProductMode.PRODUCT_EXTERNAL);
  }

  private static List<String> outputNames(ResolvedQueryStmt statement) {
    return statement.getOutputColumnList().stream().map(ResolvedOutputColumn::getName).toList();
  }

  private static AnalyzerOptions analyzerOptions(Map<String, Type> parameters) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(languageOptions);
    parameters.forEach(options::addQueryParameter);
    return options;
  }

  private static ResolvedQueryStmt analyze(String sql, Map<String, Type> parameters) {
    ResolvedStatement statement =
        Analyzer.analyzeStatement(sql, analyzerOptions(parameters), catalog);
    assertTrue(
        statement instanceof ResolvedQueryStmt, "not a query: " + statement.nodeKindString());
    return (ResolvedQueryStmt) statement;
  }

  /** A query file: its text, and what its header comment declares. */
  private record QueryFile(
      String name,
      String sql,
      String header,
      String body,
      Map<String, Type> parameters,
      List<String> outputColumns) {

    static QueryFile read(String fileName) throws IOException {
      String sql = Files.readString(QUERIES.resolve(fileName));
      List<String> header = new ArrayList<>();
      List<String> lines = sql.lines().toList();
      int i = 0;
      while (i < lines.size() && lines.get(i).startsWith("--")) {
        header.add(lines.get(i++));
      }
      String body = String.join("\n", lines.subList(i, lines.size()));
      return new QueryFile(
          fileName,
          sql,
          String.join("\n", header),
          body,
          parameters(header),
          outputColumns(header));
    }

    private static Map<String, Type> parameters(List<String> header) {
      Map<String, Type> parameters = new LinkedHashMap<>();
      for (String line : header) {
        Matcher m = PARAMETER_LINE.matcher(line);
        if (m.find()) {
          Type type = PARAMETER_TYPES.get(m.group(2));
          assertNotNull(type, "unknown parameter type in header: " + line);
          parameters.put(m.group(1), type);
        }
      }
      return parameters;
    }

    /** The comma-separated names after "-- Output columns", up to the next blank comment line. */
    private static List<String> outputColumns(List<String> header) {
      StringBuilder text = new StringBuilder();
      boolean inSection = false;
      for (String line : header) {
        String content = line.substring(2).trim();
        if (line.startsWith("-- Output columns")) {
          inSection = true;
        } else if (inSection && content.isEmpty()) {
          break;
        } else if (inSection) {
          text.append(' ').append(content);
        }
      }
      // Drop parenthesized remarks, which may nest and contain commas: "by_cause (ARRAY<...>)".
      String names = text.toString();
      for (String previous = null; !names.equals(previous); ) {
        previous = names;
        names = names.replaceAll("\\([^()]*\\)", "");
      }
      List<String> columns = new ArrayList<>();
      for (String part : names.split(",")) {
        String name = part.trim();
        if (!name.isEmpty()) {
          columns.add(name);
        }
      }
      return columns;
    }

    /** This query with every occurrence of {@code from} in its body replaced. */
    String mutate(String from, String to) {
      assertTrue(body.contains(from), name + " does not contain " + from);
      return header + "\n" + body.replace(from, to);
    }
  }

  /** The report queries are analyzed against the table the pipeline really writes. */
  @org.junit.jupiter.api.Test
  void theIncidentsCatalogMatchesTheWrittenTable() {
    java.util.List<String> written = new java.util.ArrayList<>();
    for (com.google.api.services.bigquery.model.TableFieldSchema f
        : dev.sfutriage.connectors.BigQueryIncidents.schema().getFields()) {
      String sub = f.getFields() == null ? ""
          : f.getFields().stream().map(com.google.api.services.bigquery.model.TableFieldSchema::getName).toList().toString();
      written.add(f.getName() + ("REPEATED".equals(f.getMode()) ? "[]" : "") + sub);
    }
    java.util.List<String> declared = new java.util.ArrayList<>();
    for (com.google.zetasql.SimpleColumn c : ExportSchemas.incidents().getColumnList()) {
      com.google.zetasql.Type t = c.getType();
      String sub = "";
      if (t.isArray() && t.asArray().getElementType().isStruct()) {
        java.util.List<String> names = new java.util.ArrayList<>();
        t.asArray().getElementType().asStruct().getFieldList().forEach(x -> names.add(x.getName()));
        sub = names.toString();
      }
      declared.add(c.getName() + (t.isArray() ? "[]" : "") + sub);
    }
    org.junit.jupiter.api.Assertions.assertEquals(written, declared);
  }
}
