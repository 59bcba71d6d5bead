package dev.sfutriage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.options.TriageOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The command line before Beam parses it: values after a space, the default runner, the runner choice. */
class CommandLineTest {
  @Test
  void aValueAfterASpaceJoinsItsOptionButABooleanFlagKeepsItsNeighbour() {
    assertArrayEquals(new String[] {"--inputDir=fixtures", "--date=2026-11-23", "--runner=FlinkRunner"},
        CommandLine.normalize(new String[] {"--inputDir", "fixtures", "--date=2026-11-23"}));
    // --quiet is a boolean: a following word is not its value (Beam then says what is wrong with it).
    assertArrayEquals(new String[] {"--quiet", "stray", "--runner=DirectRunner"},
        CommandLine.normalize(new String[] {"--quiet", "stray", "--runner=DirectRunner"}));
    assertArrayEquals(new String[] {"--allowEmpty=false", "--runner=DirectRunner"},
        CommandLine.normalize(new String[] {"--allowEmpty", "false", "--runner", "DirectRunner"}));
    // Options of Beam and its runners take values too.
    assertArrayEquals(new String[] {"--project=p", "--runner=SparkRunner", "--sparkMaster=local[2]"},
        CommandLine.normalize(new String[] {"--project", "p", "--runner", "SparkRunner", "--sparkMaster", "local[2]"}));
  }

  @Test
  void aRunOnFlinkSkipsTheDefensiveCopiesUnlessItsCommandLineSaysOtherwise() {
    String[] flink = CommandLine.normalize(new String[] {"--inputDir=fixtures"});
    PipelineOptions o = PipelineOptionsFactory.fromArgs(flink).as(TriageOptions.class);
    CommandLine.runnerDefaults(o, flink);
    assertTrue(o.as(FlinkPipelineOptions.class).getFasterCopy());
    String[] copies = CommandLine.normalize(new String[] {"--inputDir=fixtures", "--fasterCopy=false"});
    PipelineOptions kept = PipelineOptionsFactory.fromArgs(copies).as(TriageOptions.class);
    CommandLine.runnerDefaults(kept, copies);
    assertFalse(kept.as(FlinkPipelineOptions.class).getFasterCopy());
  }

  @Test
  void runnersAreTakenAsBeamTakesThemAndTestHarnessesAreRefused() {
    for (String ok : new String[] {"FlinkRunner", "flink", "DirectRunner", "org.apache.beam.runners.direct.DirectRunner",
        "sparkrunner"}) {
      assertDoesNotThrow(() -> CommandLine.checkRunner(new String[] {"--runner=" + ok}), ok);
    }
    for (String bad : new String[] {"TestFlinkRunner", "testsparkrunner", "org.apache.beam.runners.direct.TestDirectRunner"}) {
      RunConfig.UsageException e = assertThrows(RunConfig.UsageException.class,
          () -> CommandLine.checkRunner(new String[] {"--runner=" + bad}));
      assertTrue(e.getMessage().contains("is a test harness"), e.getMessage());
    }
  }
}
