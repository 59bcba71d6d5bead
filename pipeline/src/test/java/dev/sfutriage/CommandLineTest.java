package dev.sfutriage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command line before Beam parses it: values after a space, the default runner, the runner choice. */
class CommandLineTest {
  @Test
  void aValueAfterASpaceJoinsItsOptionButABooleanFlagKeepsItsNeighbour() {
    assertArrayEquals(new String[] {"--inputDir=fixtures", "--date=2026-11-23", "--runner=FlinkRunner", "--fasterCopy=true"},
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
