package dev.sfutriage.read;

import static dev.sfutriage.read.ReaderHarness.assertAccount;
import static dev.sfutriage.read.ReaderHarness.assertDeadLetters;
import static dev.sfutriage.read.ReaderHarness.config;
import static dev.sfutriage.read.ReaderHarness.readEvents;
import static dev.sfutriage.read.ReaderHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.model.Event;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Big and hostile inputs: each is a counted dead letter with a clear reason, and the rest of the input is read. */
class HostileInputsTest {
  private static final String OK = "{\"event\":\"session_started\",\"timestamp\":\"2026-11-23T08:00:00Z\",\"seminar_id\":\"s1\"}";
  @TempDir Path dir;

  private static String bigRecord(int bytes) {
    return "{\"event\":\"livekit_connect_failed\",\"timestamp\":\"2026-11-23T08:02:14Z\",\"seminar_id\":\"s1\",\"error\":\""
        + "x".repeat(bytes) + "\"}";
  }

  @Test
  void aRecordOverOneMebibyteIsDeadLetteredBeforeAnyShuffleAndTheOthersAreRead() throws Exception {
    String big = bigRecord(5_000_000);
    Path lines = write(dir, "app.jsonl", OK + "\n" + big + "\n" + OK.replace("08:00", "09:00") + "\n");
    Path array = write(dir, "rows.json", "[\n" + OK + ",\n" + big + ",\n" + OK.replace("08:00", "10:00") + "\n]\n");
    Path atLimit = write(dir, "limit.jsonl", bigRecord(LineParser.MAX_RECORD_BYTES - bigRecord(0).length()) + "\n");
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(lines, array, atLimit), new BackendLogParser(config()), RunScope.everything());
    String reason = ": record over the 1 MiB limit: " + big.length() + " bytes (the limit is 1048576)";
    assertDeadLetters(parsed, "app.jsonl:2" + reason, "rows.json:3" + reason);
    // a record of exactly 1 MiB is still read
    assertAccount(parsed, "backend_logs", 7, 2, 0, 0, 5);
    p.run().waitUntilFinish();
  }

  @Test
  void aCsvRecordOverTheLimitAndABrokenQuoteAtTheEndCostOnlyThemselves() throws Exception {
    String header = "ticket_id,seminar_id,user_id,platform,reported_at,subject\n";
    Path f = write(dir, "tickets.csv", header
        + "T-1,s1,u1,ios,2026-11-23T08:00:00Z,ok\n"
        + "T-2,s1,u2,ios,2026-11-23T08:00:00Z," + "y".repeat(2_000_000) + "\n"
        + "T-3,s1,u3,ios,2026-11-23T08:00:00Z,ok\n"
        + "T-4,s1,u4,ios,2026-11-23T08:00:00Z,\"it never closes\n"
        + "T-5,s1,u5,ios,2026-11-23T08:00:00Z,ok\n");
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<dev.sfutriage.model.Ticket> parsed = ReaderHarness.readTickets(p, List.of(f));
    PAssert.that(parsed.records.apply(MapElements.into(TypeDescriptors.strings()).via((dev.sfutriage.model.Ticket t) -> t.ticketId)))
        .containsInAnyOrder("T-1", "T-3", "T-5");
    assertDeadLetters(parsed, "tickets.csv:3: record over the 1 MiB limit: 2000035 bytes (the limit is 1048576)",
        "tickets.csv:5: broken CSV quote: the file ends inside it; reading resumes at the next line");
    assertAccount(parsed, "tickets", 5, 2, 0, 0, 3);
    p.run().waitUntilFinish();
  }

  @Test
  void aFileThatIsNotUtf8TextIsOneDeadLetter() throws Exception {
    Path utf16 = dir.resolve("no-bom.jsonl");
    Files.write(utf16, (OK + "\n" + OK + "\n").getBytes(StandardCharsets.UTF_16LE));
    Path binary = dir.resolve("core.jsonl");
    byte[] junk = new byte[10_000];
    new java.util.Random(7).nextBytes(junk);
    Files.write(binary, junk);
    Path gz = dir.resolve("app.jsonl");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((OK + "\n").getBytes(StandardCharsets.UTF_8));
    }
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, List.of(utf16, binary, gz), new BackendLogParser(config()), RunScope.everything());
    PAssert.that(parsed.deadLetters.apply(MapElements.into(TypeDescriptors.strings())
        .via(d -> d.location.substring(d.location.lastIndexOf('/') + 1) + ": " + d.reason.replaceAll(": \\d+ NUL.*", ": ..."))))
        .containsInAnyOrder(
            "no-bom.jsonl:1: file is UTF-16LE without a byte-order mark (NUL bytes between the characters), not UTF-8: re-export it as UTF-8",
            "core.jsonl:1: binary file, not text: ...",
            "app.jsonl:1: file is gzip-compressed but its name does not end in .gz");
    assertAccount(parsed, "backend_logs", 3, 3, 0, 0, 0);
    p.run().waitUntilFinish();
  }

  @Test
  void danglingLinksFifosAndUnreadableFilesInAFolderAreCountedWithTheirReason() throws Exception {
    Path ok = write(dir, "ok.jsonl", OK + "\n");
    Path dangling = Files.createSymbolicLink(dir.resolve("gone.jsonl"), dir.resolve("rotated-away.jsonl"));
    Path fifo = dir.resolve("pipe.jsonl");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    // Beam's match leaves both out; the folder listing finds them again
    assertEquals(List.of(dangling.toAbsolutePath().toString(), fifo.toAbsolutePath().toString()),
        InputFiles.skippedByMatch(dir.resolve("*").toString()));
    List<Path> files = new ArrayList<>(List.of(ok, dangling, fifo));
    List<String> expected = new ArrayList<>(List.of(
        "gone.jsonl: unreadable input (dangling symbolic link): its target " + dir.resolve("rotated-away.jsonl") + " does not exist",
        "pipe.jsonl: unreadable input (not a regular file): a FIFO, socket or device, not opened"));
    Path locked = write(dir, "locked.jsonl", OK + "\n");
    boolean canLock = locked.toFile().setReadable(false, false) && !Files.isReadable(locked); // root reads everything
    if (canLock) {
      files.add(locked);
      expected.add("locked.jsonl: unreadable input (permission denied): the file cannot be opened for reading");
    }
    TestPipeline p = ReaderHarness.pipeline();
    Parsed<Event> parsed = readEvents(p, files, new BackendLogParser(config()), RunScope.everything());
    assertDeadLetters(parsed, expected.toArray(new String[0]));
    assertAccount(parsed, "backend_logs", files.size(), files.size() - 1, 0, 0, 1);
    p.run().waitUntilFinish();
  }

  @Test
  void aMetricsDocumentIsStreamedAndCappedNotReadIntoMemory() throws IOException {
    // 300 MB of samples (a gzip of a few MB expands to this), generated as it is read: never in memory.
    // The cap is 8 MiB here so that the test does not parse 256 MiB; the production cap is the constant.
    long cap = 8L << 20;
    byte[] head = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"go_gc_duration_seconds\"},\"values\":["
        .getBytes(StandardCharsets.UTF_8);
    byte[] sample = "[1795428000,\"1\"],".getBytes(StandardCharsets.UTF_8);
    long total = 300L << 20;
    InputStream bomb = new InputStream() {
      long pos;

      @Override
      public int read() {
        if (pos >= total) {
          return -1;
        }
        long i = pos++;
        return i < head.length ? head[(int) i] : sample[(int) ((i - head.length) % sample.length)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        if (pos < head.length) {
          int n = (int) Math.min(len, head.length - pos);
          System.arraycopy(head, (int) pos, b, off, n);
          pos += n;
          return n;
        }
        int at = (int) ((pos - head.length) % sample.length);
        int n = (int) Math.min(Math.min(len, sample.length - at), total - pos);
        System.arraycopy(sample, at, b, off, n);
        pos += n;
        return n;
      }
    };
    long[] filtered = {0};
    List<String> dead = new ArrayList<>();
    new MetricsParser(config(), cap).parse("bomb.json", bomb, new RecordSink<Event>() {
      @Override
      public void accept(Event value, String dedupeKey) {
        throw new AssertionError("go_gc_duration_seconds is not kept");
      }

      @Override
      public void filtered(String reason) {
        filtered[0]++;
      }

      @Override
      public void deadLetter(String location, String reason, String raw) {
        dead.add(reason);
      }
    });
    long samplesInCap = (cap - head.length) / sample.length;
    assertTrue(Math.abs(filtered[0] - samplesInCap) <= 2, filtered[0] + " samples read, about " + samplesInCap + " expected");
    assertEquals(List.of("document over the 8 MiB limit: the rest after 8388608 bytes and " + filtered[0]
        + " samples was not read"), dead);
  }
}
