package dev.sfutriage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * dead_letter.jsonl without holding it: an input can be millions of bad lines (a gzip of 3 M short
 * ones is a few KB). Each part line is redacted and counted as it is read, kept in a bounded buffer,
 * and the buffer is sorted and spilled to a temporary run file when full; the output is the k-way
 * merge of the runs, streamed to the file. The order is the same as sorting everything at once:
 * source, location (file:9 before file:10), reason, then the line itself (ties are equal records).
 */
final class DeadLetters implements AutoCloseable {
  private static final Pattern COLUMN = Pattern.compile(" at column \\d+");
  /** Characters buffered before a spill: the driver's memory for dead letters, whatever their number. */
  static final long BUFFER_CHARS = 16L << 20;
  static final Comparator<Letter> ORDER = Comparator.comparing((Letter l) -> l.source)
      .thenComparing(l -> l.location, Finalize::naturalCompare)
      .thenComparing(l -> l.reason).thenComparing(l -> l.line);

  private final long bufferChars;
  private final List<Letter> buffer = new ArrayList<>();
  private long buffered;
  private final List<Path> runs = new ArrayList<>();
  /** The spilled runs, in the temp folder, named for this run's process (a killed run's are removed). */
  private static final String RUNS_PREFIX = "sfu-triage-dead-letters-";
  private Path runDir;
  private final Map<String, Map<String, Long>> reasons = new TreeMap<>();

  DeadLetters() {
    this(BUFFER_CHARS);
  }

  DeadLetters(long bufferChars) {
    this.bufferChars = bufferChars;
  }

  /** One dead letter, already redacted, with its sort key. */
  record Letter(String source, String location, String reason, String line) {
    long chars() {
      return source.length() + location.length() + reason.length() + line.length() + 64;
    }
  }

  /** A part line: redacted, counted by source and reason category, buffered (spilled when full). */
  void add(String partLine) {
    JsonNode d = Finalize.parse(partLine);
    Letter l = new Letter(d.path("source").asText(), d.path("location").asText(), d.path("reason").asText(), d.toString());
    String category = COLUMN.matcher(l.reason).replaceAll("");
    int colon = category.indexOf(':');
    category = colon > 0 ? category.substring(0, colon) : category;
    reasons.computeIfAbsent(l.source, k -> new TreeMap<>()).merge(category, 1L, Long::sum);
    buffer.add(l);
    buffered += l.chars();
    if (buffered >= bufferChars) {
      spill();
    }
  }

  /** Per source, per reason category (the reason up to its first ':', without "at column N"). */
  Map<String, Map<String, Long>> reasons() {
    return reasons;
  }

  /** Number of run files spilled so far (tests). */
  int spilled() {
    return runs.size();
  }

  private void spill() {
    buffer.sort(ORDER);
    try {
      if (runDir == null) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        OutputLocation.removeDead(tmp, RUNS_PREFIX, null); // a killed run's spills
        runDir = Files.createDirectories(tmp.resolve(RUNS_PREFIX + RunOwner.newTag()));
      }
      Path run = runDir.resolve(String.format(java.util.Locale.ROOT, "run-%05d", runs.size()));
      runs.add(run);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (Letter l : buffer) {
          for (String s : new String[] {l.source, l.location, l.reason, l.line}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.clear();
    buffered = 0;
  }

  /** The lines in order, merged from the runs and the buffer as they are consumed. Once. */
  Iterable<String> sortedLines() {
    buffer.sort(ORDER);
    List<Iterator<Letter>> sources = new ArrayList<>();
    sources.add(buffer.iterator());
    for (Path run : runs) {
      sources.add(new RunReader(run));
    }
    return () -> new Merge(sources);
  }

  @Override
  public void close() {
    if (runDir != null) {
      OutputFiles.deleteTree(runDir);
      RunOwner.release(runDir.toString());
    }
  }

  /** The k-way merge: the head of every sorted source in a priority queue. */
  private static final class Merge implements Iterator<String> {
    private final PriorityQueue<Map.Entry<Letter, Iterator<Letter>>> heads =
        new PriorityQueue<>(Map.Entry.comparingByKey(ORDER));

    Merge(List<Iterator<Letter>> sources) {
      for (Iterator<Letter> s : sources) {
        if (s.hasNext()) {
          heads.add(Map.entry(s.next(), s));
        }
      }
    }

    @Override
    public boolean hasNext() {
      return !heads.isEmpty();
    }

    @Override
    public String next() {
      Map.Entry<Letter, Iterator<Letter>> head = heads.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      if (head.getValue().hasNext()) {
        heads.add(Map.entry(head.getValue().next(), head.getValue()));
      }
      return head.getKey().line;
    }
  }

  /** A spilled run, read back one letter at a time. */
  private static final class RunReader implements Iterator<Letter> {
    private final DataInputStream in;
    private Letter next;

    RunReader(Path run) {
      try {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      next = read();
    }

    private Letter read() {
      try {
        return new Letter(string(), string(), string(), string());
      } catch (EOFException e) {
        close();
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private String string() throws IOException {
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    private void close() {
      try {
        in.close();
      } catch (IOException e) {
        // read to the end already
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Letter next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Letter l = next;
      next = read();
      return l;
    }
  }
}
