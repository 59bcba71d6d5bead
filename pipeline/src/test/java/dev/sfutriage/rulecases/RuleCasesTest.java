package dev.sfutriage.rulecases;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sfutriage.classify.Classify;
import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.EventCoder;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.joda.time.Duration;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule regression suite: every YAML file under {@code rulecases/<symptom>/} is one case (format
 * in the README.md there), run through the real correlate + classify stages and compared with the
 * incidents it expects. Independent of the fixture generator: a case states its few events itself.
 *
 * <p>Speed: cases with the same window and the same sources share one pipeline run (their ids are
 * prefixed with a per-case tag, so they cannot meet; the sources must agree because the engine
 * asks which sources the run read at all). A case with events outside every seminar (metrics,
 * global backend lines) could reach other cases' sessions: it is moved to days of its own ({@link Run}).
 */
class RuleCasesTest {
  static final String ROOT = "dev/sfutriage/rulecases";
  /** TriageOptions' default --roomNamePattern. */
  static final String ROOM_NAME_PATTERN = "seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})";
  static final RuleSet RULES = RulesLoader.loadDefault(ROOM_NAME_PATTERN);

  /** What the stages under test produce. */
  record Outputs(PCollection<Incident> incidents, PCollection<PendingCase> pending) {}

  /** The stages under test, built in this one place: adapt here when a constructor changes. */
  static Outputs stages(PCollection<Event> events, RuleSet rules, DataWindow window) {
    PCollectionTuple out = events
        .apply("Correlate", new Correlate(rules))
        .apply("Classify", new Classify(rules, window));
    return new Outputs(out.get(Classify.INCIDENTS), out.get(Classify.PENDING));
  }

  @TestFactory
  Stream<DynamicNode> ruleCases() throws IOException, URISyntaxException {
    Path root = root();
    Map<String, List<DynamicNode>> bySymptom = new TreeMap<>();
    List<RuleCase> cases = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    Map<String, Run> runs = new LinkedHashMap<>();
    for (Path f : files) {
      String name = root.relativize(f).toString().replace('\\', '/');
      String dir = name.contains("/") ? name.substring(0, name.indexOf('/')) : "(top level)";
      RuleCase c;
      try {
        c = RuleCase.load(f, name);
      } catch (RuntimeException e) {
        bySymptom.computeIfAbsent(dir, k -> new ArrayList<>()).add(DynamicTest.dynamicTest(fileName(name), f.toUri(),
            () -> fail("cannot read case " + name + ": " + e.getMessage(), e)));
        continue;
      }
      cases.add(c);
      String tag = "c" + cases.size() + ":";
      String window = "window:" + c.window.fromMicros + "-" + c.window.toMicros + " sources:" + c.sources();
      String runKey = c.needsItsOwnWindow() ? (c.hasGlobalEvents() ? "alone:" + name : "edges:" + window) : "day:" + window;
      Run run = runs.computeIfAbsent(runKey, k -> new Run(k, c.window));
      long shift = run.add(tag, c);
      bySymptom.computeIfAbsent(dir, k -> new ArrayList<>()).add(DynamicTest.dynamicTest(fileName(name), f.toUri(),
          () -> CaseCheck.check(c, run.result(), tag, shift)));
      // The in-process engine (small runs, InProcessRun) calls the same functions: it must pass every case too.
      bySymptom.computeIfAbsent(dir, k -> new ArrayList<>()).add(DynamicTest.dynamicTest(fileName(name) + " (in process)",
          f.toUri(), () -> CaseCheck.check(c, run.inProcessResult(), tag, shift)));
    }
    List<DynamicNode> out = new ArrayList<>();
    out.add(DynamicTest.dynamicTest("coverage of every symptom and cause", () -> Coverage.check(cases)));
    bySymptom.forEach((dir, tests) -> out.add(DynamicContainer.dynamicContainer(dir, tests)));
    return out.stream();
  }

  private static String fileName(String name) {
    return name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.yaml$", "");
  }

  private static Path root() throws URISyntaxException {
    URL url = RuleCasesTest.class.getClassLoader().getResource(ROOT);
    if (url == null) {
      throw new IllegalStateException("no " + ROOT + " on the test classpath");
    }
    return Paths.get(url.toURI());
  }

  /** What one pipeline run produced, or why it failed. */
  record Result(List<Incident> incidents, List<PendingCase> pending, Throwable error) {}

  /**
   * One pipeline run over the events of several cases with the same window and sources; run once,
   * on first use. Cases whose events all lie in one seminar keep their times. A case with global
   * events is moved, whole, to a slot of its own days after the window ({@link #SLOT} apart), so
   * its global events cannot be evidence for another case's session; the run's window grows to
   * cover the slots. That is why such cases (and every case of a run) must not depend on the
   * window's end: a case with events near its window's edges, or an explicit window, runs with
   * that window ({@link RuleCase#needsItsOwnWindow}).
   */
  static final class Run {
    static final long SLOT = 3 * 24 * 3600 * 1_000_000L;
    final String key;
    final DataWindow window;
    final Map<String, RuleCase> cases = new LinkedHashMap<>();
    final Map<String, Long> shifts = new LinkedHashMap<>();
    private int slots;
    private Result result;

    Run(String key, DataWindow window) {
      this.key = key;
      this.window = window;
    }

    /** Adds a case; returns how far its times are moved in this run. */
    long add(String tag, RuleCase c) {
      long shift = c.hasGlobalEvents() && !c.needsItsOwnWindow() ? ++slots * SLOT : 0;
      cases.put(tag, c);
      shifts.put(tag, shift);
      return shift;
    }

    synchronized Result result() {
      if (result == null) {
        result = execute();
      }
      return result;
    }

    private Result inProcess;

    /** The same cases through the in-process engine's stages ({@code Correlate.inProcess}, {@code Classify.inProcess}). */
    synchronized Result inProcessResult() {
      if (inProcess == null) {
        try {
          Classify.Result r = Classify.inProcess(Correlate.inProcess(events(), RULES), RULES, runWindow());
          inProcess = new Result(r.incidents(), r.pending(), null);
        } catch (RuntimeException | Error e) {
          inProcess = new Result(List.of(), List.of(), e);
        }
      }
      return inProcess;
    }

    private List<Event> events() {
      List<Event> events = new ArrayList<>();
      cases.forEach((tag, c) -> events.addAll(c.events(tag, shifts.get(tag))));
      return events;
    }

    private DataWindow runWindow() {
      return new DataWindow(window.fromMicros, window.toMicros + slots * SLOT);
    }

    private Result execute() {
      List<Event> events = events();
      DataWindow runWindow = runWindow();
      String id = key + "@" + System.nanoTime();
      try {
        PipelineOptions options = TestPipeline.testingPipelineOptions();
        options.as(DirectOptions.class).setBlockOnRun(false);
        TestPipeline p = TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(false);
        Outputs out = stages(p.apply("CaseEvents", Create.of(events).withCoder(EventCoder.of())), RULES, runWindow);
        out.incidents().apply("CollectIncidents", ParDo.of(new Collect<>(id + "/incidents")));
        out.pending().apply("CollectPending", ParDo.of(new Collect<>(id + "/pending")));
        PipelineResult result = p.run();
        // Not blocking on run: a run that does not finish fails its cases instead of hanging the build.
        PipelineResult.State state = result.waitUntilFinish(Duration.standardMinutes(2));
        if (state != PipelineResult.State.DONE) {
          cancel(result);
          throw new IllegalStateException("the run of " + cases.size() + " cases (" + key + ") ended " + state
              + " instead of DONE within 2 minutes");
        }
        return new Result(drain(id + "/incidents"), drain(id + "/pending"), null);
      } catch (RuntimeException | Error e) {
        return new Result(List.of(), List.of(), e);
      }
    }
  }

  private static void cancel(PipelineResult result) {
    try {
      result.cancel();
    } catch (IOException | RuntimeException e) {
      // already failed or finished: nothing to stop
    }
  }

  /** The DirectRunner runs in this JVM: a DoFn hands its elements to the test through this map. */
  static final Map<String, Queue<Object>> SINK = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  private static <T> List<T> drain(String key) {
    Queue<Object> q = SINK.remove(key);
    return q == null ? List.of() : (List<T>) new ArrayList<>(q);
  }

  static final class Collect<T> extends DoFn<T, Void> {
    private final String key;

    Collect(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element T element) {
      SINK.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(element);
    }
  }
}
