package dev.sfutriage.index;

import dev.sfutriage.report.OutputLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The index's part of a run's commit: the pipeline staged the partitions in {@code <staging>/index/};
 * after the run this writes the manifest there and moves the folder to {@code <output>/index/},
 * replacing the previous index (manifest last, so a manifest means the partitions are in place), and
 * sorts the staged (user, partition) pairs into the user map ({@link UserMap}) beside it.
 * Everything goes through Beam's FileSystems (any file system). Called before the other outputs are
 * committed, so summary.json still appears last.
 */
public final class IndexCommit {
  private IndexCommit() {}

  /** Where the pipeline stages the index: beside the parts of the run's staging folder. */
  public static String stagedDir(String partsDir) {
    return partsDir.substring(0, partsDir.replaceAll("/+$", "").lastIndexOf('/')) + "/" + IndexFormat.DIR;
  }

  /** @return the index folder as shown to the user */
  public static String commit(String stagedDir, OutputLocation output, IndexManifest manifest) {
    String target = output.file(IndexFormat.DIR);
    try {
      List<ResourceId> from = new ArrayList<>();
      List<ResourceId> to = new ArrayList<>();
      for (MatchResult.Metadata m : match(stagedDir + "/*/*")) {
        String name = m.resourceId().getFilename();
        String partition = m.resourceId().getCurrentDirectory().getFilename();
        from.add(m.resourceId());
        to.add(FileSystems.matchNewResource(target + "/" + partition + "/" + name, false));
      }
      List<ResourceId> old = new ArrayList<>();
      for (MatchResult.Metadata m : match(target + "/**")) {
        old.add(m.resourceId());
      }
      FileSystems.delete(old, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      if (!from.isEmpty()) {
        FileSystems.rename(from, to);
      }
      long users = UserMap.commit(UserMap.stagedDir(stagedDir), target);
      if (users >= 0) {
        manifest = manifest.withUserMap(IndexFormat.USER_MAP, users);
      }
      try (Writer w = Channels.newWriter(FileSystems.create(FileSystems.matchNewResource(target + "/" + IndexFormat.MANIFEST, false),
          MimeTypes.TEXT), StandardCharsets.UTF_8)) {
        w.write(dev.sfutriage.util.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest.json));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult r = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    return r.status() == MatchResult.Status.OK ? r.metadata() : List.of();
  }
}
