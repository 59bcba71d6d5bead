package dev.sfutriage.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.report.JsonOut;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.Times;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The webhook jobs worth replaying: failed ones, and pending/processing ones that have already been
 * retried (stuck). {@code Finalize} turns them into replay.sql with the guide's requeue statement.
 */
public final class ReplayJobs extends PTransform<PCollection<Event>, PCollection<String>> {
  @Override
  public PCollection<String> expand(PCollection<Event> events) {
    return events.apply("ReplayCandidates", ParDo.of(new CandidateFn())).setCoder(StringUtf8Coder.of());
  }

  static boolean needsReplay(Event e) {
    String status = e.attr("job_status");
    Double attempt = e.num("attempt");
    return "failed".equals(status)
        || (("pending".equals(status) || "processing".equals(status)) && attempt != null && attempt > 1);
  }

  /** {@link #expand} on events held in memory (the in-process engine). */
  public static java.util.List<String> inProcess(java.util.List<Event> events) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Event e : events) {
      String line = candidate(e);
      if (line != null) {
        out.add(line);
      }
    }
    return out;
  }

  /** A replay candidate's JSON line, or null when the event is not one. */
  static @org.checkerframework.checker.nullness.qual.Nullable String candidate(Event e) {
    if (!Sources.WEBHOOK_JOBS.equals(e.source) || !needsReplay(e)) {
      return null;
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("job_id", e.attr("job_id"));
    o.put("status", e.attr("job_status"));
    Json.putNumber(o, "attempt", e.number("attempt"));
    o.put("webhook_event", e.name);
    o.put("seminar_id", e.seminarId);
    o.put("session_id", e.sessionId);
    o.put("created_at", Times.iso(e.timeMicros));
    o.put("updated_at", e.attr("updated_at"));
    o.put("last_error", e.attr("last_error") != null ? e.attr("last_error") : e.attr("egress_error"));
    return JsonOut.line(o);
  }

  static final class CandidateFn extends DoFn<Event, String> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<String> out) {
      String line = candidate(e);
      if (line != null) {
        out.output(line);
      }
    }
  }
}
