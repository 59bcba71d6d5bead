package dev.sfutriage.connectors;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The production {@link QueryRunner}: google-cloud-bigquery, standard SQL, named parameters. */
public final class BigQueryQueryRunner implements QueryRunner {
  private final @Nullable String project;

  /** @param project the project that runs (and pays for) the jobs; null = the client's default */
  public BigQueryQueryRunner(@Nullable String project) {
    this.project = project;
  }

  /** The job: the SQL text as prepared (no value in it), every value a named parameter. */
  public static QueryJobConfiguration configuration(BigQueryQuery q) {
    if (q.destination == null) {
      throw new IllegalArgumentException(q.file + " has no destination table");
    }
    return query(q)
        .setDestinationTable(q.destination)
        .setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE)
        .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
        .setAllowLargeResults(true)
        .build();
  }

  /** The same query and parameters as a dry run: BigQuery checks it and estimates the bytes, runs nothing. */
  public static QueryJobConfiguration dryRun(BigQueryQuery q) {
    return query(q).setDryRun(true).build();
  }

  private static QueryJobConfiguration.Builder query(BigQueryQuery q) {
    QueryJobConfiguration.Builder b = QueryJobConfiguration.newBuilder(q.sql).setUseLegacySql(false);
    for (Map.Entry<String, com.google.cloud.bigquery.QueryParameterValue> e : q.parameters.entrySet()) {
      b.addNamedParameter(e.getKey(), e.getValue());
    }
    return b;
  }

  @Override
  public void run(BigQueryQuery query) throws InterruptedException {
    BigQueryOptions.Builder o = BigQueryOptions.newBuilder();
    if (project != null) {
      o.setProjectId(project);
    }
    BigQuery bigquery = o.build().getService();
    bigquery.query(configuration(query)); // waits for the job; throws BigQueryException on failure
  }
}
