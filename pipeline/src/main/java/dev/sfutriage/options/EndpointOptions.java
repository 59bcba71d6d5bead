package dev.sfutriage.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options for tests and emulators, left out of --help (Beam hides the options of a @Hidden
 * interface, not single @Hidden getters).
 */
@Hidden
public interface EndpointOptions extends PipelineOptions {
  @Description("The BigQuery endpoint for --validateQueries, e.g. http://localhost:9050 (an emulator or a test's "
      + "fake; no credentials are sent to it).")
  String getBigQueryEndpoint();

  void setBigQueryEndpoint(String value);
}
