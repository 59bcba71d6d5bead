package dev.sfutriage.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture day through the real main under the default locales that break careless code — de_DE
 * (decimal comma: "10811,9 s") and tr_TR (dotless i: "contains".toUpperCase() is "CONTAİNS", so a
 * rules keyword is not found) — gives the same bytes in every output as under en_US, but for the run's
 * one wall-clock value.
 */
class LocaleTest {
  @TempDir Path tmp;

  @Test
  void everyOutputIsTheSameBytesUnderGermanAndTurkishDefaultLocales() throws IOException {
    Map<String, String> english = run(Locale.US, "en");
    assertTrue(english.keySet().containsAll(List.of("incidents.jsonl", "incidents.csv", "report.md", "report.html",
        "summary.json", "dead_letter.jsonl", "tickets.jsonl", "tickets.csv", "replay.sql", "problems.jsonl", "(stdout)")),
        english.keySet().toString());
    assertTrue(english.get("report.md").matches("(?s).*\\d\\.\\d.*"), "the report prints decimals: the check is not vacuous");
    for (Locale locale : List.of(Locale.GERMANY, Locale.forLanguageTag("tr-TR"))) {
      Map<String, String> other = run(locale, locale.getLanguage());
      assertEquals(english.keySet(), other.keySet(), locale.toString());
      for (String name : english.keySet()) {
        assertEquals(english.get(name), other.get(name), name + " under " + locale);
      }
    }
  }

  /** Every output of the nightly run with tickets under {@code locale}, without the run start. */
  private Map<String, String> run(Locale locale, String folder) throws IOException {
    Locale saved = Locale.getDefault();
    Runs.Result r;
    try {
      Locale.setDefault(locale);
      r = Runs.nightly(tmp.resolve(folder).resolve("out"), "--tickets=" + Runs.FIXTURES.resolve("tickets"));
    } finally {
      Locale.setDefault(saved);
    }
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(r.dir)) {
      // every output a user opens (the index's Avro files carry a random sync marker: its manifest is compared)
      for (Path f : s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).toList()) {
        String name = f.getFileName().toString();
        out.put(name, Runs.withoutRunStart(name, Files.readString(f)));
      }
    }
    out.put("index/manifest.json", Files.readString(r.dir.resolve("index/manifest.json")));
    out.put("(stdout)", r.out.replace(r.dir.toString(), "<output>"));
    return out;
  }
}
