package dev.sfutriage.read;

import dev.sfutriage.model.Platforms;
import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.util.Times;
import java.util.List;
import java.util.Map;

/** Support tickets CSV: {@code ticket_id, seminar_id, user_id, platform, reported_at, subject}. */
public final class TicketParser extends CsvParser<Ticket> {
  @Override
  public String source() {
    return Sources.TICKETS;
  }

  @Override
  protected List<String> requiredColumns() {
    return List.of("ticket_id", "reported_at");
  }

  @Override
  protected void parseRecord(String location, Map<String, String> row, String raw, RecordSink<Ticket> sink) {
    String id = row.get("ticket_id");
    if (id == null || id.isBlank()) {
      sink.deadLetter(location, "missing ticket_id", raw);
      return;
    }
    Long reported;
    try {
      reported = Times.micros(row.get("reported_at"));
    } catch (IllegalArgumentException e) {
      sink.deadLetter(location, "bad reported_at: " + e.getMessage(), raw);
      return;
    }
    if (reported == null) {
      sink.deadLetter(location, "missing reported_at", raw);
      return;
    }
    String platform = row.get("platform");
    // Ids are compared as given: "T-1" and "T-1 " are two tickets (a space may be all that tells two
    // exports' ids apart, and a trimmed id would no longer match the help desk's own).
    sink.accept(new Ticket(id, blankToNull(row.get("seminar_id")), blankToNull(row.get("user_id")),
        platform == null ? null : Platforms.normalize(platform), reported, row.get("subject"), location),
        "ticket:" + id);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
