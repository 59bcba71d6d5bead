package dev.sfutriage.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * The parse floor of the benchmark: one single-threaded streaming pass over every input file under a
 * folder, no trees, no Beam — each NDJSON line tokenized by Jackson, each Prometheus document
 * tokenized whole, each CSV file read by commons-csv. What no pipeline over these files can beat on
 * one core. Prints {@code floor: <records> records ... in <s> s}.
 */
public final class ParseFloor {
  private ParseFloor() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args.length > 0 ? args[0] : "fixtures");
    JsonFactory json = new JsonFactory();
    long records = 0;
    long tokens = 0;
    long start = System.nanoTime();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("expected")))
          .filter(p -> p.toString().matches(".*\\.(json|jsonl|csv)(\\.gz)?$")).sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString().replace(".gz", "");
      try (Reader r = open(f)) {
        if (name.endsWith(".csv")) {
          try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().build().parse(r)) {
            for (var rec : csv) {
              records++;
              tokens += rec.size();
            }
          }
        } else if (f.startsWith(dir.resolve("metrics"))) {
          try (JsonParser p = json.createParser(r)) {
            while (p.nextToken() != null) {
              tokens++;
            }
          }
          records++;
        } else {
          BufferedReader lines = (BufferedReader) r;
          for (String l = lines.readLine(); l != null; l = lines.readLine()) {
            if (l.isBlank()) {
              continue;
            }
            records++;
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
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("floor: %d records, %d files, %d tokens in %.2f s (%.0f records/s)%n", records, files.size(), tokens,
        secs, records / secs);
  }

  private static Reader open(Path f) throws IOException {
    InputStream raw = Files.newInputStream(f);
    InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
