package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** replay.sql as Finalize writes it, for tests of other packages (the SQL run on PostgreSQL). */
public final class ReplaySqlAccess {
  private ReplaySqlAccess() {}

  public static String replaySql(List<JsonNode> jobs, JsonNode summary) {
    return JobOutputs.replaySql(jobs, summary);
  }
}
