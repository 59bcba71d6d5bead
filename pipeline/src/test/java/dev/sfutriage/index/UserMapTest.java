package dev.sfutriage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sfutriage.model.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user map's file: staged pairs sorted into one line per user, read back for the users asked for. */
class UserMapTest {
  @TempDir Path tmp;

  private static Event event(String source, String seminar, String user) {
    return new Event(source, "e", 0L, 0L, seminar, null, user, null, Map.of(), Map.of(), "f:1");
  }

  @Test
  void pairsAreUsersInSeminarsOnly() {
    assertEquals("u1\t" + IndexFormat.seminarPartition("sem-a"), UserMap.pair(event("analytics", "sem-a", "u1")));
    assertNull(UserMap.pair(event("analytics", null, "u1")), "a seminar-less event puts its user in no partition");
    assertNull(UserMap.pair(event("analytics", "sem-a", null)));
    assertNull(UserMap.pair(event("metrics", "sem-a", "u1")));
  }

  @Test
  void stagedPairsBecomeOneSortedLinePerUserAndAreReadBack() throws IOException {
    Path staged = Files.createDirectories(tmp.resolve("staged"));
    Path index = Files.createDirectories(tmp.resolve("index"));
    String odd = "we\tird\\id\n";
    Files.writeString(staged.resolve("pairs-0.txt"), "u2\ts05\nu1\ts09\n" + UserMap.escape(odd) + "\ts01\n", StandardCharsets.UTF_8);
    Files.writeString(staged.resolve("pairs-1.txt"), "u1\ts03\nu2\ts05\n", StandardCharsets.UTF_8);
    assertEquals(3, UserMap.commit(staged.toString(), index.toString()));
    assertEquals(List.of("u1\ts03 s09", "u2\ts05", "we\\tird\\\\id\\n\ts01"),
        Files.readAllLines(index.resolve(IndexFormat.USER_MAP), StandardCharsets.UTF_8));

    assertEquals(new TreeSet<>(List.of("s03", "s05", "s09")), UserMap.partitionsOf(index.toString(), IndexFormat.USER_MAP, Set.of("u1", "u2")));
    assertEquals(new TreeSet<>(List.of("s01")), UserMap.partitionsOf(index.toString(), IndexFormat.USER_MAP, Set.of(odd)));
    assertEquals(new TreeSet<>(), UserMap.partitionsOf(index.toString(), IndexFormat.USER_MAP, Set.of("nobody", "U1")),
        "an unknown user (ids as given: U1 is not u1) needs no seminar partition");
    assertNull(UserMap.partitionsOf(index.toString(), "missing.tsv", Set.of("u1")), "no map: read everything");
  }

  @Test
  void nothingStagedWritesNoMap() throws IOException {
    Path index = Files.createDirectories(tmp.resolve("index"));
    assertEquals(-1, UserMap.commit(tmp.resolve("none").toString(), index.toString()));
    assertEquals(false, Files.exists(index.resolve(IndexFormat.USER_MAP)));
  }
}
