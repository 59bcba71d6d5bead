package dev.sfutriage.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.RunConfig;
import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.model.Event;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.read.ReadInProcess;
import dev.sfutriage.report.JsonOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process engine's correlation and classification on several threads give what they give on
 * one, in the same order: every event attributed alike, every incident and pending case, none lost,
 * none twice (the fixture day: its 24 incidents, a pending case, many participants and sessions).
 */
class InProcessThreadsTest {
  static RunConfig cfg;
  static List<Event> read;

  @BeforeAll
  static void readTheFixtureDay() {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=../fixtures", "--date=2026-11-23",
        "--output=" + Path.of("target", "in-process-threads").toAbsolutePath()).as(TriageOptions.class);
    cfg = RunConfig.resolve(o);
    read = ReadInProcess.events(cfg.files, cfg.rules.ingest, cfg.scope, d -> { }, Long.MAX_VALUE).records();
  }

  @Test
  void correlationOnManyThreadsAttributesEveryEventAsOnOne() {
    List<Event> one = Correlate.inProcess(read, cfg.rules, 1);
    assertEquals(read.size(), one.size());
    assertTrue(one.stream().anyMatch(e -> e.attr("session_attributed") != null), "no event was attributed a session");
    for (int threads : new int[] {2, 3, 7, 16}) {
      assertEquals(one, Correlate.inProcess(read, cfg.rules, threads), threads + " threads");
    }
  }

  @Test
  void classificationOnManyThreadsGivesTheSameIncidentsAndPendingInTheSameOrder() {
    List<Event> events = Correlate.inProcess(read, cfg.rules, 1);
    Classify.Result one = Classify.inProcess(events, cfg.rules, cfg.window, 1);
    assertTrue(one.incidents().size() >= 20, "incidents: " + one.incidents().size());
    assertTrue(!one.pending().isEmpty(), "no pending case");
    for (int threads : new int[] {2, 3, 7, 16}) {
      for (int repeat = 0; repeat < 3; repeat++) {
        Classify.Result many = Classify.inProcess(events, cfg.rules, cfg.window, threads);
        assertEquals(lines(one), lines(many), threads + " threads");
        assertEquals(one.window().fromMicros, many.window().fromMicros);
        assertEquals(one.window().toMicros, many.window().toMicros);
      }
    }
  }

  private static List<String> lines(Classify.Result r) {
    List<String> out = new ArrayList<>();
    r.incidents().forEach(i -> out.add(JsonOut.line(JsonOut.incident(i))));
    r.pending().forEach(p -> out.add(JsonOut.line(JsonOut.pending(p))));
    return out;
  }
}
