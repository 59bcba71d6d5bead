package dev.sfutriage.index;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The index's user map ({@link IndexFormat#USER_MAP}): for every user, the seminar partitions holding
 * the seminars the user is in after correlation (their own events, and their seminar-less events that
 * a webhook job attributes), so that a ticket naming a user but no seminar reads those partitions
 * (with global and metrics) instead of all of them. A seminar a crash of the user's is attributed to by
 * user and time is one of these already (attribution by user picks a seminar the user was in). A user
 * with no event in any seminar is not in the map (nothing of theirs can be near a ticket).
 *
 * <p>On disk: UTF-8 lines {@code <user_id> TAB <partition> SPACE <partition> …}, sorted by user id
 * (Java's String order) and the partitions by name; a tab, newline, carriage return or backslash in a
 * user id is written as {@code \t}, {@code \n}, {@code \r}, {@code \\}. Both engines stage the
 * (user, partition) pairs in any order; {@link #commit} sorts them into the one file, so the bytes
 * are the same whichever engine wrote the index.
 */
public final class UserMap extends PTransform<PCollection<Event>, PDone> {
  private final String stagedDir;

  /** @param stagedDir where the (user, partition) pairs are staged ({@link #stagedDir(String)}) */
  public UserMap(String stagedDir) {
    this.stagedDir = stagedDir;
  }

  /** Where a run stages the pairs: beside the staged index folder, not in it (its subfolders are partitions). */
  public static String stagedDir(String stagedIndexDir) {
    return stagedIndexDir.replaceAll("/+$", "") + "-users";
  }

  @Override
  public PDone expand(PCollection<Event> correlated) {
    correlated
        .apply("UserPartitions", ParDo.of(new PairFn()))
        .setCoder(StringUtf8Coder.of())
        .apply("DistinctPairs", Distinct.create())
        .apply("WritePairs", TextIO.write().to(stagedDir + "/pairs").withSuffix(".txt"));
    return PDone.in(correlated.getPipeline());
  }

  /** The staged pair of an event in a seminar with a user ({@code user TAB partition}, user escaped), or null. */
  static @Nullable String pair(Event e) {
    if (e.userId == null || e.seminarId == null || Sources.METRICS.equals(e.source)) {
      return null;
    }
    return escape(e.userId) + "\t" + IndexFormat.seminarPartition(e.seminarId);
  }

  static final class PairFn extends DoFn<Event, String> {
    @ProcessElement
    public void process(@Element Event e, OutputReceiver<String> out) {
      String p = pair(e);
      if (p != null) {
        out.output(p);
      }
    }
  }

  /** {@link #expand} in this thread (the in-process engine): the same pairs, once each. */
  public static void inProcess(String stagedDir, Iterable<Event> correlated) {
    Set<String> pairs = new TreeSet<>();
    for (Event e : correlated) {
      String p = pair(e);
      if (p != null) {
        pairs.add(p);
      }
    }
    String file = stagedDir + "/pairs-00000-of-00001.txt";
    try (Writer w = Channels.newWriter(FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT),
        StandardCharsets.UTF_8)) {
      for (String p : pairs) {
        w.write(p);
        w.write('\n');
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sorts the staged pairs into {@code <indexDir>/}{@link IndexFormat#USER_MAP}.
   *
   * @return the number of users in the map, or -1 when nothing was staged (no map written)
   */
  static long commit(String stagedDir, String indexDir) throws IOException {
    MatchResult staged = FileSystems.match(stagedDir + "/*", EmptyMatchTreatment.ALLOW);
    if (staged.status() != MatchResult.Status.OK || staged.metadata().isEmpty()) {
      return -1;
    }
    Map<String, TreeSet<String>> byUser = new TreeMap<>();
    for (MatchResult.Metadata m : staged.metadata()) {
      try (BufferedReader r = new BufferedReader(Channels.newReader(FileSystems.open(m.resourceId()), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          int tab = line.lastIndexOf('\t');
          if (tab > 0) {
            byUser.computeIfAbsent(unescape(line.substring(0, tab)), u -> new TreeSet<>()).add(line.substring(tab + 1));
          }
        }
      }
    }
    String file = indexDir + "/" + IndexFormat.USER_MAP;
    try (Writer w = new java.io.BufferedWriter(Channels.newWriter(
        FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT), StandardCharsets.UTF_8), 1 << 16)) {
      for (Map.Entry<String, TreeSet<String>> u : byUser.entrySet()) {
        w.write(escape(u.getKey()));
        w.write('\t');
        w.write(String.join(" ", u.getValue()));
        w.write('\n');
      }
    }
    return byUser.size();
  }

  /**
   * The seminar partitions of these users, from the map of the index in {@code indexDir}: one scan of
   * the sorted file that stops past the last user asked for. A user not in the map has none.
   *
   * @return the partitions, or null when the index has no readable map (then a run reads all partitions)
   */
  static @Nullable TreeSet<String> partitionsOf(String indexDir, String mapFile, Set<String> users) {
    TreeSet<String> wanted = new TreeSet<>(users);
    TreeSet<String> out = new TreeSet<>();
    if (wanted.isEmpty()) {
      return out;
    }
    String last = wanted.last();
    try (BufferedReader r = new BufferedReader(Channels.newReader(
        FileSystems.open(FileSystems.matchNewResource(indexDir + "/" + mapFile, false)), StandardCharsets.UTF_8), 1 << 16)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int tab = line.lastIndexOf('\t');
        if (tab <= 0) {
          return null; // not a map this build understands
        }
        String user = unescape(line.substring(0, tab));
        if (wanted.contains(user)) {
          for (String p : line.substring(tab + 1).split(" ")) {
            out.add(p);
          }
        }
        if (user.compareTo(last) >= 0) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  static String escape(String s) {
    if (s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\\' -> b.append("\\\\");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
