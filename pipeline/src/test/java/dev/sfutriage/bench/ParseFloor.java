package dev.sfutriage.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The parse floor of the benchmark: one single-threaded streaming Jackson pass over every line of
 * every NDJSON input under a folder (no trees, no Beam). Prints lines, bytes and seconds.
 */
public final class ParseFloor {
  private ParseFloor() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args.length > 0 ? args[0] : "fixtures");
    JsonFactory json = new JsonFactory();
    long lines = 0;
    long tokens = 0;
    long bytes = 0;
    long start = System.nanoTime();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|jsonl)(\\.gz)?$")).sorted().toList();
    }
    for (Path f : files) {
      InputStream raw = Files.newInputStream(f);
      try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines++;
          bytes += l.length() + 1;
          try (JsonParser p = json.createParser(l)) {
            while (p.nextToken() != null) {
              tokens++;
            }
          } catch (IOException e) {
            // a malformed line still counts as read
          }
        }
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("parse floor: %d lines, %.1f MB, %d tokens in %.2f s (%.0f lines/s)%n", lines, bytes / 1e6, tokens, secs,
        lines / secs);
  }
}
