package dev.sfutriage.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfutriage.SfuTriage;
import dev.sfutriage.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's lean start of Beam's options factory ({@link LeanOptions}), each case in its own JVM as
 * {@code java -jar} runs it (the test JVM's factory is started in full by other tests): the options
 * a command line names still parse, with Beam's values and errors, and the real main runs the
 * fixture day in process and on Flink with the same incidents.
 */
class LeanOptionsTest {
  static final Path FIXTURES = Paths.get("..", "fixtures");

  @TempDir Path tmp;

  /** Parses its arguments after a lean start and prints what a run would see, one fact a line. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.println("registered_for_args=" + LeanOptions.start(args).size());
      try {
        TriageOptions o = PipelineOptionsFactory.fromArgs(args).as(TriageOptions.class);
        System.out.println("registered=" + PipelineOptionsFactory.getRegisteredOptions().size());
        System.out.println("output=" + o.getOutput());
        System.out.println("engine=" + o.getEngine());
        System.out.println("runner=" + o.getRunner().getSimpleName());
        System.out.println("fasterCopy=" + o.as(FlinkPipelineOptions.class).getFasterCopy());
        System.out.println("parallelism=" + o.as(FlinkPipelineOptions.class).getParallelism());
        System.out.println("project=" + o.as(GcpOptions.class).getProject());
      } catch (IllegalArgumentException e) {
        System.out.println("refused=" + e.getMessage());
      }
    }
  }

  @Test
  void theOptionsACommandLineNamesParseAsBeamParsesThemWithFewerInterfacesRegistered() throws Exception {
    String out = child(Child.class, "--output=/tmp/x", "--engine=IN_PROCESS", "--runner=FlinkRunner", "--fasterCopy=true",
        "--project=seminars-prod");
    assertTrue(out.contains("output=/tmp/x\n"), out);
    assertTrue(out.contains("engine=IN_PROCESS\n"), out);
    assertTrue(out.contains("runner=FlinkRunner\n"), out);
    assertTrue(out.contains("fasterCopy=true\n"), out);
    assertTrue(out.contains("parallelism=-1\n"), "an option not named keeps Beam's default: " + out);
    assertTrue(out.contains("project=seminars-prod\n"), out);
    int registered = Integer.parseInt(out.replaceAll("(?s).*\nregistered=(\\d+)\n.*", "$1"));
    int full = PipelineOptionsFactory.getRegisteredOptions().size(); // this JVM's factory, started in full
    assertTrue(registered < full / 2, "lean: " + registered + " interfaces registered, in full " + full);
    assertTrue(Integer.parseInt(out.replaceAll("(?s).*registered_for_args=(\\d+)\n.*", "$1")) >= 2,
        "Flink's and GCP's registered for --fasterCopy and --project: " + out);
  }

  @Test
  void anOptionNoInterfaceDeclaresIsRefusedWithBeamsMessage() throws Exception {
    String out = child(Child.class, "--output=/tmp/x", "--bogus=1");
    String beams;
    try {
      PipelineOptionsFactory.fromArgs("--output=/tmp/x", "--bogus=1").as(TriageOptions.class);
      throw new AssertionError("Beam accepted --bogus");
    } catch (IllegalArgumentException e) {
      beams = e.getMessage();
    }
    assertTrue(out.contains("refused=" + beams), out + "\nBeam in full: " + beams);
  }

  @Test
  void theRealMainRunsTheFixtureDayInProcessAndOnFlinkWithTheSameIncidents() throws Exception {
    List<String> incidents = new ArrayList<>();
    for (String engine : List.of("--engine=AUTO", "--runner=FlinkRunner")) {
      Path output = tmp.resolve(engine.replaceAll("\\W", ""));
      String log = child(SfuTriage.class, "--inputDir=" + FIXTURES, "--date=2026-11-23", "--output=" + output, engine, "--quiet");
      JsonNode summary = Json.MAPPER.readTree(output.resolve("summary.json").toFile());
      assertTrue(summary.path("accounting_balanced").asBoolean(), log);
      assertEquals(engine.equals("--engine=AUTO") ? "in process (--engine)" : "FlinkRunner",
          summary.path("run").path("engine").asText(), summary.path("run").toString());
      assertTrue(summary.path("incident_count").asInt() > 0, log);
      incidents.add(Files.readString(output.resolve("incidents.jsonl")));
    }
    assertEquals(incidents.get(0), incidents.get(1));
  }

  /** Runs a main class in a JVM of its own with the test class path; its output, after it exited 0. */
  private String child(Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "child", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
