package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.util.SchemaCoders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The read stage: each given source through its own reader into the one {@link Event} type
 * (tickets into {@link Ticket}), with every record accounted for.
 */
public final class ReadSources extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Event> EVENTS = new TupleTag<Event>("events") {};
  public static final TupleTag<Ticket> TICKETS = new TupleTag<Ticket>("tickets") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>("deadLetters") {};
  public static final TupleTag<KV<String, Long>> ACCOUNTING = new TupleTag<KV<String, Long>>("accounting") {};

  private final Map<String, List<String>> files;
  private final IngestConfig ingest;
  private final RunScope scope;
  private final List<ReadSource<Event>> tables;

  /**
   * @param files resolved input files per source name (sources without files are not read)
   * @param tables sources read from tables instead of files (JDBC, BigQuery), already configured
   */
  public ReadSources(Map<String, List<String>> files, IngestConfig ingest, RunScope scope, List<ReadSource<Event>> tables) {
    this.files = files;
    this.ingest = ingest;
    this.scope = scope;
    this.tables = tables;
  }

  /** The reader of every input file of the event sources (a file named twice is read once, by its first source). */
  public static Map<String, FileParser<Event>> eventParsers(Map<String, List<String>> files, IngestConfig ingest) {
    Map<String, FileParser<Event>> parsers = new java.util.TreeMap<>();
    for (FileParser<Event> parser : List.of(new AnalyticsParser(ingest), new CrashlyticsParser(ingest),
        new BackendLogParser(ingest), new WebhookJobParser(ingest), new MetricsParser(ingest))) {
      for (String f : files.getOrDefault(parser.source(), List.of())) {
        parsers.putIfAbsent(f, parser);
      }
    }
    return parsers;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    Coder<Event> eventCoder = dev.sfutriage.model.EventCoder.of();
    List<PCollection<Event>> events = new ArrayList<>();
    List<PCollection<DeadLetter>> dead = new ArrayList<>();
    List<PCollection<KV<String, Long>>> accounting = new ArrayList<>();
    // One read step for every file of every event source: fewer stages, and files spread over workers.
    Map<String, FileParser<Event>> parsers = eventParsers(files, ingest);
    if (!parsers.isEmpty()) {
      Parsed<Event> parsed = begin.apply("Read files",
          new ReadSource<>("files", parsers, scope, eventCoder, (Event e) -> e.location));
      events.add(parsed.records);
      dead.add(parsed.deadLetters);
      accounting.add(parsed.accounting);
    }
    for (ReadSource<Event> table : tables) {
      Parsed<Event> parsed = begin.apply("Read " + table.getName(), table);
      events.add(parsed.records);
      dead.add(parsed.deadLetters);
      accounting.add(parsed.accounting);
    }
    PCollection<Ticket> tickets;
    List<String> ticketFiles = files.get(Sources.TICKETS);
    Coder<Ticket> ticketCoder = SchemaCoders.of(begin.getPipeline(), Ticket.class);
    if (ticketFiles != null && !ticketFiles.isEmpty()) {
      Map<String, FileParser<Ticket>> ticketParsers = new java.util.TreeMap<>();
      ticketFiles.forEach(f -> ticketParsers.put(f, new TicketParser()));
      Parsed<Ticket> parsed = begin.apply("Read tickets",
          new ReadSource<>("tickets", ticketParsers, null, ticketCoder, (Ticket t) -> t.location));
      tickets = parsed.records;
      dead.add(parsed.deadLetters);
      accounting.add(parsed.accounting);
    } else {
      tickets = begin.apply("NoTickets", Create.empty(ticketCoder));
    }
    PCollection<Event> allEvents = events.isEmpty()
        ? begin.apply("NoEvents", Create.empty(eventCoder))
        : PCollectionList.of(events).apply("AllEvents", Flatten.pCollections());
    PCollection<DeadLetter> allDead = PCollectionList.of(dead).apply("AllDeadLetters", Flatten.pCollections());
    PCollection<KV<String, Long>> allAccounting = PCollectionList.of(accounting).apply("AllAccounting", Flatten.pCollections())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return PCollectionTuple.of(EVENTS, allEvents).and(TICKETS, tickets).and(DEAD_LETTERS, allDead)
        .and(ACCOUNTING, allAccounting);
  }
}
