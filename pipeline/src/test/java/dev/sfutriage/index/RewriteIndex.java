package dev.sfutriage.index;

import dev.sfutriage.correlate.Correlate;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import dev.sfutriage.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bench aid (docs/BENCHMARKS.md, the 50 000-seminar day): rewrites an older nightly's index as this
 * build's nightly writes it — its events read back, written with the current partitions, correlated
 * for the user map, the manifest's {@code seminar_buckets} and {@code user_map} set — without running
 * that day's nightly again.
 *
 * <p>{@code java -Xmx16g -cp pipeline/target/test-classes:pipeline/target/sfu-triage.jar
 * dev.sfutriage.index.RewriteIndex <nightly output> <new output>/index}
 */
public final class RewriteIndex {
  private RewriteIndex() {}

  public static void main(String[] args) throws Exception {
    RuleSet rules = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})");
    IndexSource old = IndexSource.open(args[0], rules).forRun(RunScope.everything(), null);
    ReadIndex.Read read = ReadIndex.inProcess(old, RunScope.everything());
    String dir = args[1];
    Files.createDirectories(Path.of(dir));
    WriteIndex.inProcess(dir, read.events());
    String staged = UserMap.stagedDir(dir + "-staged");
    UserMap.inProcess(staged, Correlate.inProcess(read.events(), rules));
    long users = UserMap.commit(staged, dir);
    com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode)
        old.manifest().withUserMap(IndexFormat.USER_MAP, users).json;
    manifest.put("seminar_buckets", IndexFormat.SEMINAR_BUCKETS);
    Files.writeString(Path.of(dir, IndexFormat.MANIFEST), Json.MAPPER.writeValueAsString(manifest));
    System.out.println(read.events().size() + " events, " + users + " users, into " + dir);
  }
}
