package dev.sfutriage.queries;

import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.StructType;
import com.google.zetasql.StructType.StructField;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLType.TypeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The BigQuery tables the project's queries read, declared for the ZetaSQL analyzer with the column
 * sets real exports have (shared/docs/research/firebase-exports.md, A.2 and B.2: the real
 * tables, not the docs' spellings — so {@code crashlytics_sdk_versions} or {@code error} do not
 * exist here).
 *
 * <p>How BigQuery's names are modelled:
 *
 * <ul>
 *   <li>A backtick-quoted path such as {@code `analytics_dataset.events_*`} is split into
 *       project/dataset/table by BigQuery, but ZetaSQL keeps it as one identifier. Each table is
 *       therefore registered under the whole placeholder text the queries use.
 *   <li>ZetaSQL has no wildcard tables. A wildcard is declared as an ordinary table named
 *       {@code ...*} with BigQuery's {@code _TABLE_SUFFIX} as a pseudo-column: selectable and
 *       filterable, but not part of {@code SELECT *}, exactly like BigQuery's.
 *   <li>BigQuery's legacy type names map to GoogleSQL ones: INTEGER = INT64, FLOAT = FLOAT64
 *       (TYPE_DOUBLE), BOOLEAN = BOOL, RECORD = STRUCT, REPEATED = ARRAY.
 * </ul>
 */
final class ExportSchemas {

  /** Placeholders the pipeline replaces with validated names (see each query's header). */
  static final String ANALYTICS_EVENTS = "analytics_dataset.events_*";
  static final String ANALYTICS_TABLE_LIST = "analytics_dataset.INFORMATION_SCHEMA.TABLES";
  static final String CRASHLYTICS_EVENTS = "crashlytics_dataset.*";
  static final String INCIDENTS = "triage_dataset.incidents";

  static final Type STRING = TypeFactory.createSimpleType(TypeKind.TYPE_STRING);
  static final Type INT64 = TypeFactory.createSimpleType(TypeKind.TYPE_INT64);
  static final Type FLOAT64 = TypeFactory.createSimpleType(TypeKind.TYPE_DOUBLE);
  static final Type BOOL = TypeFactory.createSimpleType(TypeKind.TYPE_BOOL);
  static final Type DATE = TypeFactory.createSimpleType(TypeKind.TYPE_DATE);
  static final Type TIMESTAMP = TypeFactory.createSimpleType(TypeKind.TYPE_TIMESTAMP);

  private ExportSchemas() {}

  /** A catalog with GoogleSQL's built-in functions and every table the queries may read. */
  static SimpleCatalog catalog(LanguageOptions languageOptions) {
    SimpleCatalog catalog = new SimpleCatalog("sfu_triage");
    catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(languageOptions));
    catalog.addSimpleTable(analyticsEvents());
    catalog.addSimpleTable(informationSchemaTables(ANALYTICS_TABLE_LIST));
    catalog.addSimpleTable(crashlyticsEvents());
    catalog.addSimpleTable(incidents());
    return catalog;
  }

  // ---------------------------------------------------------------------------------------------
  // Google Analytics for Firebase / GA4: analytics_<property_id>.events_YYYYMMDD (research B.2,
  // the column order of a real iOS app table's schema dump; every field NULLABLE or REPEATED).
  // ---------------------------------------------------------------------------------------------

  /** {@code key} + {@code value {string_value, int_value, float_value, double_value}}. */
  private static final StructType EVENT_PARAM =
      struct(
          field("key", STRING),
          field(
              "value",
              struct(
                  field("string_value", STRING),
                  field("int_value", INT64),
                  field("float_value", FLOAT64),
                  field("double_value", FLOAT64))));

  private static final StructType USER_PROPERTY =
      struct(
          field("key", STRING),
          field(
              "value",
              struct(
                  field("string_value", STRING),
                  field("int_value", INT64),
                  field("float_value", FLOAT64),
                  field("double_value", FLOAT64),
                  field("set_timestamp_micros", INT64))));

  static SimpleTable analyticsEvents() {
    return table(
        ANALYTICS_EVENTS,
        column("event_date", STRING),
        column("event_timestamp", INT64),
        column("event_name", STRING),
        column("event_params", array(EVENT_PARAM)),
        column("event_previous_timestamp", INT64),
        column("event_value_in_usd", FLOAT64),
        column("event_bundle_sequence_id", INT64),
        column("event_server_timestamp_offset", INT64),
        column("user_id", STRING),
        column("user_pseudo_id", STRING),
        column(
            "privacy_info",
            struct(
                field("analytics_storage", STRING),
                field("ads_storage", STRING),
                field("uses_transient_token", STRING))),
        column("user_properties", array(USER_PROPERTY)),
        column("user_first_touch_timestamp", INT64),
        column("user_ltv", struct(field("revenue", FLOAT64), field("currency", STRING))),
        column(
            "device",
            struct(
                field("category", STRING),
                field("mobile_brand_name", STRING),
                field("mobile_model_name", STRING),
                field("mobile_marketing_name", STRING),
                field("mobile_os_hardware_model", STRING),
                field("operating_system", STRING),
                field("operating_system_version", STRING),
                field("vendor_id", STRING),
                field("advertising_id", STRING),
                field("language", STRING),
                // STRING "Yes"/"No" in real tables; the docs say BOOLEAN (research B.2).
                field("is_limited_ad_tracking", STRING),
                field("time_zone_offset_seconds", INT64),
                field("browser", STRING),
                field("browser_version", STRING),
                field(
                    "web_info",
                    struct(
                        field("browser", STRING),
                        field("browser_version", STRING),
                        field("hostname", STRING))))),
        column(
            "geo",
            struct(
                field("city", STRING),
                field("country", STRING),
                field("continent", STRING),
                field("region", STRING),
                field("sub_continent", STRING),
                field("metro", STRING))),
        column(
            "app_info",
            struct(
                field("id", STRING),
                field("version", STRING),
                field("install_store", STRING),
                field("firebase_app_id", STRING),
                field("install_source", STRING))),
        column(
            "traffic_source",
            struct(field("name", STRING), field("medium", STRING), field("source", STRING))),
        column("stream_id", STRING),
        column("platform", STRING),
        column("event_dimensions", struct(field("hostname", STRING))),
        column(
            "ecommerce",
            struct(
                field("total_item_quantity", INT64),
                field("purchase_revenue_in_usd", FLOAT64),
                field("purchase_revenue", FLOAT64),
                field("refund_value_in_usd", FLOAT64),
                field("refund_value", FLOAT64),
                field("shipping_value_in_usd", FLOAT64),
                field("shipping_value", FLOAT64),
                field("tax_value_in_usd", FLOAT64),
                field("tax_value", FLOAT64),
                field("unique_items", INT64),
                field("transaction_id", STRING))),
        column("items", array(item())),
        column(
            "collected_traffic_source",
            strings(
                "manual_campaign_id",
                "manual_campaign_name",
                "manual_source",
                "manual_medium",
                "manual_term",
                "manual_content",
                "manual_source_platform",
                "manual_creative_format",
                "manual_marketing_tactic",
                "gclid",
                "dclid",
                "srsltid")),
        column("is_active_user", BOOL),
        column("batch_event_index", INT64),
        column("batch_page_id", INT64),
        column("batch_ordering_id", INT64),
        column("session_traffic_source_last_click", sessionTrafficSourceLastClick()),
        column(
            "publisher",
            struct(
                field("ad_revenue_in_usd", FLOAT64),
                field("ad_format", STRING),
                field("ad_source_name", STRING),
                field("ad_unit_id", STRING))),
        column("event_original_occurrence_timestamp", INT64),
        // The wildcard's table-name suffix: `YYYYMMDD` or `intraday_YYYYMMDD`.
        pseudoColumn("_TABLE_SUFFIX", STRING));
  }

  private static StructType item() {
    List<StructField> fields = new ArrayList<>();
    for (String name :
        List.of(
            "item_id", "item_name", "item_brand", "item_variant", "item_category",
            "item_category2", "item_category3", "item_category4", "item_category5")) {
      fields.add(field(name, STRING));
    }
    fields.add(field("price_in_usd", FLOAT64));
    fields.add(field("price", FLOAT64));
    fields.add(field("quantity", INT64));
    fields.add(field("item_revenue_in_usd", FLOAT64));
    fields.add(field("item_revenue", FLOAT64));
    fields.add(field("item_refund_in_usd", FLOAT64));
    fields.add(field("item_refund", FLOAT64));
    for (String name :
        List.of(
            "coupon", "affiliation", "location_id", "item_list_id", "item_list_name",
            "item_list_index", "promotion_id", "promotion_name", "creative_name",
            "creative_slot")) {
      fields.add(field(name, STRING));
    }
    fields.add(field("item_params", array(EVENT_PARAM)));
    return TypeFactory.createStructType(fields);
  }

  /**
   * Research B.2 names the six sub-records and says every leaf is a STRING; the leaf names are
   * those of GA4's published export schema.
   */
  private static StructType sessionTrafficSourceLastClick() {
    return struct(
        field(
            "manual_campaign",
            strings(
                "campaign_id", "campaign_name", "source", "medium", "term", "content",
                "source_platform", "creative_format", "marketing_tactic")),
        field(
            "google_ads_campaign",
            strings(
                "customer_id", "account_name", "campaign_id", "campaign_name", "ad_group_id",
                "ad_group_name")),
        field(
            "cross_channel_campaign",
            strings(
                "campaign_id", "campaign_name", "source", "medium", "source_platform",
                "default_channel_group", "primary_channel_group")),
        field(
            "sa360_campaign",
            strings(
                "campaign_id", "campaign_name", "source", "medium", "ad_group_id",
                "ad_group_name", "creative_format", "engine_account_name",
                "engine_account_type", "manager_account_name")),
        field(
            "cm360_campaign",
            strings(
                "campaign_id", "campaign_name", "source", "medium", "account_id",
                "account_name", "advertiser_id", "advertiser_name", "creative_id",
                "creative_format", "creative_name", "creative_type", "creative_type_id",
                "creative_version", "placement_id", "placement_cost_structure",
                "placement_name", "rendering_id", "site_id", "site_name")),
        field(
            "dv360_campaign",
            strings(
                "campaign_id", "campaign_name", "source", "medium", "partner_id",
                "partner_name", "advertiser_id", "advertiser_name", "insertion_order_id",
                "insertion_order_name", "line_item_id", "line_item_name", "creative_id",
                "creative_name", "creative_format", "exchange_id", "exchange_name")));
  }

  /**
   * BigQuery's dataset-level {@code INFORMATION_SCHEMA.TABLES} view (its documented columns; the
   * analytics query reads it to learn which daily tables exist).
   */
  static SimpleTable informationSchemaTables(String name) {
    return table(
        name,
        column("table_catalog", STRING),
        column("table_schema", STRING),
        column("table_name", STRING),
        column("table_type", STRING),
        column("is_insertable_into", STRING),
        column("is_typed", STRING),
        column("is_change_history_enabled", STRING),
        column("creation_time", TIMESTAMP),
        column("base_table_catalog", STRING),
        column("base_table_schema", STRING),
        column("base_table_name", STRING),
        column("snapshot_time_ms", TIMESTAMP),
        column("ddl", STRING),
        column("default_collation_name", STRING));
  }

  // ---------------------------------------------------------------------------------------------
  // Firebase Crashlytics: firebase_crashlytics.<app>_ANDROID / _IOS (+ _REALTIME), research A.2:
  // the union of the docs and real tables, in the observed `SELECT *` order, later additions last.
  // ---------------------------------------------------------------------------------------------

  /** A stack frame, as in {@code blame_frame} and every {@code frames} array. */
  private static final StructType FRAME =
      struct(
          field("line", INT64),
          field("file", STRING),
          field("symbol", STRING),
          field("offset", INT64),
          field("address", INT64),
          field("library", STRING),
          field("owner", STRING),
          field("blamed", BOOL));

  private static final StructType KEY_VALUE = struct(field("key", STRING), field("value", STRING));

  private static final StructType THREAD =
      struct(
          field("crashed", BOOL),
          field("thread_name", STRING),
          field("queue_name", STRING),
          field("signal_name", STRING),
          field("signal_code", STRING),
          field("crash_address", INT64),
          field("code", INT64),
          field("title", STRING),
          field("subtitle", STRING),
          field("blamed", BOOL),
          field("frames", array(FRAME)));

  static SimpleTable crashlyticsEvents() {
    return table(
        CRASHLYTICS_EVENTS,
        column("platform", STRING),
        column("bundle_identifier", STRING),
        column("event_id", STRING),
        column("is_fatal", BOOL),
        column("issue_id", STRING),
        column("issue_title", STRING),
        column("issue_subtitle", STRING),
        column("event_timestamp", TIMESTAMP),
        column("received_timestamp", TIMESTAMP),
        column(
            "device",
            struct(
                field("manufacturer", STRING),
                field("model", STRING),
                field("architecture", STRING))),
        column("memory", struct(field("used", INT64), field("free", INT64))),
        column("storage", struct(field("used", INT64), field("free", INT64))),
        column(
            "operating_system",
            struct(
                field("display_version", STRING),
                field("name", STRING),
                field("modification_state", STRING),
                field("type", STRING),
                field("device_type", STRING))),
        column(
            "application",
            struct(field("build_version", STRING), field("display_version", STRING))),
        column("user", struct(field("name", STRING), field("email", STRING), field("id", STRING))),
        column("custom_keys", array(KEY_VALUE)),
        column("installation_uuid", STRING),
        column("crashlytics_sdk_version", STRING),
        column("app_orientation", STRING),
        column("device_orientation", STRING),
        column("process_state", STRING),
        column("logs", array(struct(field("timestamp", TIMESTAMP), field("message", STRING)))),
        column(
            "breadcrumbs",
            array(
                struct(
                    field("timestamp", TIMESTAMP),
                    field("name", STRING),
                    field("params", array(KEY_VALUE))))),
        column("blame_frame", FRAME),
        column(
            "exceptions",
            array(
                struct(
                    field("type", STRING),
                    field("exception_message", STRING),
                    field("nested", BOOL),
                    field("title", STRING),
                    field("subtitle", STRING),
                    field("blamed", BOOL),
                    field("frames", array(FRAME))))),
        column(
            "errors",
            array(
                struct(
                    field("queue_name", STRING),
                    field("code", INT64),
                    field("title", STRING),
                    field("subtitle", STRING),
                    field("blamed", BOOL),
                    field("frames", array(FRAME))))),
        column("threads", array(THREAD)),
        column("unity_metadata", unityMetadata()),
        column("variant_id", STRING),
        column("error_type", STRING),
        column(
            "native_crash_info",
            struct(
                field(
                    "memory_error",
                    struct(
                        field("error_type", STRING),
                        field("canonical_cause_message", STRING),
                        field(
                            "causes",
                            array(
                                struct(
                                    field("message", STRING),
                                    // "thread records" (research A.2): modelled as a thread.
                                    field("allocating_thread", THREAD),
                                    field("deallocating_thread", THREAD)))))))),
        // Undocumented and always empty where seen; its sub-fields are unknown, so none is declared
        // and any query that reaches into it fails analysis.
        column("remote_config_feature_rollouts", array(struct())),
        column("firebase_session_id", STRING),
        // The wildcard's table-name suffix: the app table's name, e.g. `com_example_app_ANDROID`.
        pseudoColumn("_TABLE_SUFFIX", STRING));
  }

  /** The 20-field form (the 26-field form of some tables adds older aliases; research D.9). */
  private static StructType unityMetadata() {
    return struct(
        field("unity_version", STRING),
        field("debug_build", BOOL),
        field("processor_type", STRING),
        field("processor_count", INT64),
        field("processor_frequency_mhz", INT64),
        field("system_memory_size_mb", INT64),
        field("graphics_memory_size_mb", INT64),
        field("graphics_device_id", INT64),
        field("graphics_device_vendor_id", INT64),
        field("graphics_device_name", STRING),
        field("graphics_device_vendor", STRING),
        field("graphics_device_version", STRING),
        field("graphics_device_type", STRING),
        field("graphics_shader_level", INT64),
        field("graphics_render_target_count", INT64),
        field("graphics_copy_texture_support", STRING),
        field("graphics_max_texture_size", INT64),
        field("screen_size_px", STRING),
        field("screen_refresh_rate_hz", INT64),
        field("screen_resolution_dpi", STRING));
  }

  // ---------------------------------------------------------------------------------------------
  // The pipeline's own output: incidents (contract §8 incidents.jsonl) loaded into BigQuery,
  // partitioned by the run's report_date. Must match connectors.BigQueryIncidents.schema()
  // (BigQuerySqlAnalysisTest checks that), so the report queries are analyzed against what is written.
  // ---------------------------------------------------------------------------------------------

  static SimpleTable incidents() {
    return table(
        INCIDENTS,
        column("incident_id", STRING),
        column("symptom", STRING),
        column("cause", STRING),
        column("seminar_id", STRING),
        column("session_id", STRING),
        column("user_id", STRING),
        column("platform", STRING),
        column("app_version", STRING),
        column("first_seen", TIMESTAMP),
        column("last_seen", TIMESTAMP),
        column("severity", STRING),
        column("title", STRING),
        column("summary", STRING),
        column("resolution", STRING),
        column("checklist", array(INT64)),
        column(
            "evidence",
            array(
                struct(
                    field("source", STRING),
                    field("timestamp", TIMESTAMP),
                    field("event", STRING),
                    field("detail", STRING),
                    field("location", STRING)))),
        column("report_date", DATE));
  }

  // ---------------------------------------------------------------------------------------------
  // A small vocabulary so the declarations above read like a BigQuery schema.
  // ---------------------------------------------------------------------------------------------

  /** A column spec before its table's name is known. */
  private record ColumnSpec(String name, Type type, boolean pseudo) {}

  private static SimpleTable table(String name, ColumnSpec... columns) {
    List<SimpleColumn> list = new ArrayList<>();
    for (ColumnSpec c : columns) {
      boolean writable = false;
      list.add(new SimpleColumn(name, c.name(), c.type(), c.pseudo(), writable));
    }
    return new SimpleTable(name, list);
  }

  private static ColumnSpec column(String name, Type type) {
    return new ColumnSpec(name, type, false);
  }

  private static ColumnSpec pseudoColumn(String name, Type type) {
    return new ColumnSpec(name, type, true);
  }

  static StructField field(String name, Type type) {
    return new StructField(name, type);
  }

  static StructType struct(StructField... fields) {
    return TypeFactory.createStructType(List.of(fields));
  }

  /** A RECORD whose leaves are all STRING. */
  private static StructType strings(String... names) {
    List<StructField> fields = new ArrayList<>();
    for (String name : names) {
      fields.add(field(name, STRING));
    }
    return TypeFactory.createStructType(fields);
  }

  /** A REPEATED field. */
  static Type array(Type element) {
    return TypeFactory.createArrayType(element);
  }
}
