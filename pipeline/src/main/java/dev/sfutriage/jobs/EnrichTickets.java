package dev.sfutriage.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfutriage.correlate.DataWindow;
import dev.sfutriage.model.DeadLetter;
import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.Sources;
import dev.sfutriage.model.Ticket;
import dev.sfutriage.read.RunScope;
import dev.sfutriage.report.JsonOut;
import dev.sfutriage.util.Json;
import dev.sfutriage.util.OnePassJoin;
import dev.sfutriage.util.Times;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Support-ticket enrichment (data-contract §6, §8): for each ticket (seminar, user, platform,
 * approximate time), the user's and seminar's events around that time, the incidents that fit,
 * the best one — the user's own incident before a session-wide one, then the closest to the
 * reported time — and a status: matched, telemetry_no_incident, no_telemetry, or out_of_scope when
 * the ticket is about a time outside the run's data window (± the match tolerance) or about a
 * seminar or user the run's filters leave out: this run cannot answer it, which is not "no telemetry".
 *
 * <p>A ticket the reader could not read (a reported_at like "igår kväll vid 8-tiden", no ticket_id)
 * stays in tickets.jsonl/.csv with status {@code unreadable} and the reason, taken from its dead
 * letter; so does a readable ticket that names neither a user nor a seminar (nothing to match). The
 * accounting counts each row once: a dead-lettered ticket is {@code dead_lettered} (and in
 * dead_letter.jsonl), a readable one {@code used}; tickets.csv lists both, so it has one row per
 * ticket row read.
 */
public final class EnrichTickets extends PTransform<PCollection<Event>, PCollection<String>> {
  /** People's "approximate time" is often off by half an hour; an incident this close still fits. */
  static final long MATCH_TOLERANCE = 60 * 60 * 1_000_000L;
  /** The timeline shown with a ticket, and the window in which telemetry counts as "around the time". */
  static final long TIMELINE_WINDOW = 2 * 60 * 60 * 1_000_000L;
  static final int MAX_TIMELINE = 300;
  static final String UNREADABLE = "unreadable";

  private final PCollection<Ticket> tickets;
  private final PCollection<Incident> incidents;
  private final PCollection<DataWindow> window;
  private final RunScope scope;
  private final PCollection<DeadLetter> deadLetters;

  /** @param deadLetters the run's dead letters; those of the tickets become unreadable tickets */
  public EnrichTickets(PCollection<Ticket> tickets, PCollection<DeadLetter> deadLetters, PCollection<Incident> incidents,
      PCollection<DataWindow> window, RunScope scope) {
    this.deadLetters = deadLetters;
    this.tickets = tickets;
    this.incidents = incidents;
    this.window = window;
    this.scope = scope;
  }

  @Override
  public PCollection<String> expand(PCollection<Event> events) {
    PCollectionView<List<Ticket>> ticketView = tickets.apply("TicketView", View.asList());
    PCollectionView<List<Incident>> incidentView = incidents.apply("IncidentView", View.asList());
    PCollectionView<DataWindow> windowView = window.apply("TicketWindowView", View.asSingleton());
    PCollection<KV<String, Event>> near = events
        .apply("NearTickets", ParDo.of(new NearTicketsFn(ticketView)).withSideInputs(ticketView));
    PCollection<String> enriched = tickets
        .apply("KeyTickets", WithKeys.of((Ticket t) -> t.ticketId).withKeyType(TypeDescriptors.strings()))
        .apply("JoinTicketEvents", OnePassJoin.with(near))
        .apply("Enrich", ParDo.of(new EnrichFn(ticketView, incidentView, windowView, scope))
            .withSideInputs(ticketView, incidentView, windowView))
        .setCoder(StringUtf8Coder.of());
    PCollection<String> unreadable = deadLetters
        .apply("UnreadableTickets", ParDo.of(new UnreadableTicketFn()))
        .setCoder(StringUtf8Coder.of());
    return PCollectionList.of(enriched).and(unreadable).apply("AllTickets", Flatten.pCollections());
  }

  /**
   * A dead-lettered ticket row → a ticket with status unreadable and the reader's reason. Its cells
   * are read with the header of its file (the default column order when that cannot be read).
   */
  static final class UnreadableTicketFn extends DoFn<DeadLetter, String> {
    static final List<String> COLUMNS = List.of("ticket_id", "seminar_id", "user_id", "platform", "reported_at", "subject");
    private transient Map<String, List<String>> headers;

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<String> out) {
      if (Sources.TICKETS.equals(d.source)) {
        out.output(render(d));
      }
    }

    /** The unreadable ticket of a ticket dead letter, as its JSON line. */
    String render(DeadLetter d) {
      if (headers == null) {
        headers = new HashMap<>();
      }
      int colon = d.location.lastIndexOf(':');
      String file = colon > 0 ? d.location.substring(0, colon) : d.location;
      List<String> header = headers.computeIfAbsent(file, UnreadableTicketFn::header);
      Map<String, String> cells = new HashMap<>();
      try (CSVParser p = CSVParser.parse(d.raw, CSVFormat.DEFAULT)) {
        for (CSVRecord r : p) {
          for (int i = 0; i < Math.min(r.size(), header.size()); i++) {
            cells.put(header.get(i), r.get(i).isBlank() ? null : r.get(i).trim());
          }
          break;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // the cells stay empty; the reason and the location still say which row it is
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("ticket_id", cells.get("ticket_id"));
      o.put("seminar_id", cells.get("seminar_id"));
      o.put("user_id", cells.get("user_id"));
      o.put("platform", cells.get("platform") == null ? null : dev.sfutriage.model.Platforms.normalize(cells.get("platform")));
      o.put("reported_at", cells.get("reported_at"));
      o.put("subject", cells.get("subject"));
      o.put("status", UNREADABLE);
      o.put("reason", d.reason);
      o.put("location", d.location);
      o.putArray("incidents");
      o.putArray("timeline");
      return JsonOut.line(o);
    }

    private static List<String> header(String file) {
      try (java.io.InputStream raw = java.nio.channels.Channels.newInputStream(
              org.apache.beam.sdk.io.FileSystems.open(org.apache.beam.sdk.io.FileSystems.matchSingleFileSpec(file).resourceId()));
          java.io.InputStream in = file.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw) : raw;
          java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
        String first = r.readLine();
        if (first != null) {
          List<String> cols = new ArrayList<>();
          for (String c : first.replace("\uFEFF", "").split(",")) {
            cols.add(c.trim().toLowerCase(java.util.Locale.ROOT));
          }
          if (cols.contains("ticket_id")) {
            return cols;
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // the documented column order below
      }
      return COLUMNS;
    }
  }

  /** Routes each event to the tickets it is about: same seminar, the ticket's user or no user, near in time. */
  static final class NearTicketsFn extends DoFn<Event, KV<String, Event>> {
    private final PCollectionView<List<Ticket>> tickets;

    NearTicketsFn(PCollectionView<List<Ticket>> tickets) {
      this.tickets = tickets;
    }

    @ProcessElement
    public void process(@Element Event e, OutputReceiver<KV<String, Event>> out, ProcessContext c) {
      for (Ticket t : c.sideInput(tickets)) {
        if (isNear(e, t)) {
          out.output(KV.of(t.ticketId, e));
        }
      }
    }
  }

  /** Whether an event is about a ticket: same seminar, the ticket's user or no user, near in time. */
  static boolean isNear(Event e, Ticket t) {
    if (e.seminarId == null || Sources.METRICS.equals(e.source) || Math.abs(e.timeMicros - t.reportedAtMicros) > TIMELINE_WINDOW) {
      return false;
    }
    if (t.seminarId != null && !t.seminarId.equals(e.seminarId)) {
      return false;
    }
    boolean user = t.userId != null && t.userId.equals(e.userId);
    boolean seminarLevel = e.userId == null && t.seminarId != null;
    return user || seminarLevel || t.userId == null;
  }

  /** {@link #expand} on lists held in memory (the in-process engine). */
  public static List<String> inProcess(List<Event> events, List<Ticket> tickets, List<DeadLetter> deadLetters,
      List<Incident> incidents, DataWindow window, RunScope scope) {
    List<String> out = new ArrayList<>();
    for (Ticket t : tickets) {
      out.add(enrich(t, dev.sfutriage.util.InMemory.filter(events, (Event e) -> isNear(e, t)), incidents, window, scope));
    }
    UnreadableTicketFn unreadable = new UnreadableTicketFn();
    for (DeadLetter d : deadLetters) {
      if (Sources.TICKETS.equals(d.source)) {
        out.add(unreadable.render(d));
      }
    }
    return out;
  }

  /**
   * One ticket (the group's key; ids are unique after the reader's dedupe) with its near events,
   * streamed once into {@link #enrich}'s bounded timeline: the ticket comes from the side input, so
   * its time is known before the first event, however busy the seminar.
   */
  static final class EnrichFn extends DoFn<KV<String, Iterable<RawUnionValue>>, String> {
    private final PCollectionView<List<Ticket>> tickets;
    private final PCollectionView<List<Incident>> incidents;
    private final PCollectionView<DataWindow> window;
    private final RunScope scope;
    private transient @Nullable List<Ticket> indexed;
    private transient @Nullable Map<String, Ticket> byId;

    EnrichFn(PCollectionView<List<Ticket>> tickets, PCollectionView<List<Incident>> incidents,
        PCollectionView<DataWindow> window, RunScope scope) {
      this.tickets = tickets;
      this.incidents = incidents;
      this.window = window;
      this.scope = scope;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<RawUnionValue>> kv, OutputReceiver<String> out, ProcessContext c) {
      List<Ticket> all = c.sideInput(tickets);
      if (all != indexed || byId == null) {
        byId = new HashMap<>();
        for (Ticket t : all) {
          byId.put(t.ticketId, t);
        }
        indexed = all;
      }
      Ticket ticket = byId.get(kv.getKey());
      if (ticket != null) {
        out.output(enrich(ticket, OnePassJoin.<Event>rights(kv.getValue()), c.sideInput(incidents), c.sideInput(window), scope));
      }
    }
  }

  /** Why this run cannot answer the ticket, or null when it can. */
  private static @Nullable String outOfScope(Ticket t, DataWindow w, RunScope scope) {
    if (!w.isEmpty() && (t.reportedAtMicros < w.fromMicros - MATCH_TOLERANCE || t.reportedAtMicros > w.toMicros + MATCH_TOLERANCE)) {
      return "reported at " + Times.iso(t.reportedAtMicros) + ", outside the run's data window " + Times.iso(w.fromMicros)
          + " to " + Times.iso(w.toMicros);
    }
    if (scope.seminarId != null && t.seminarId != null && !scope.seminarId.equals(t.seminarId)) {
      return "seminar " + t.seminarId + " is outside this run's --seminarId filter";
    }
    if (scope.userId != null && t.userId != null && !scope.userId.equals(t.userId)) {
      return "user " + t.userId + " is outside this run's --userId filter";
    }
    return null;
  }

  /** One ticket with the events near it: its incidents, the best one, its timeline and status, as a JSON line. */
  static String enrich(Ticket t, Iterable<Event> near, List<Incident> incidents, DataWindow window, RunScope scope) {
    // Keep the closest events, in bounded memory, however busy the seminar.
    Comparator<Event> farthestFirst = Comparator.comparingLong((Event e) -> Math.abs(e.timeMicros - t.reportedAtMicros)).reversed()
        .thenComparing(e -> e.location);
    PriorityQueue<Event> closest = new PriorityQueue<>(farthestFirst);
    boolean userTelemetry = false;
    Set<String> userSessions = new HashSet<>();
    for (Event e : near) {
      if (t.userId == null || t.userId.equals(e.userId)) {
        userTelemetry = true;
        if (e.sessionId != null) {
          userSessions.add(e.seminarId + "|" + e.sessionId);
        }
      }
      closest.add(e);
      if (closest.size() > MAX_TIMELINE) {
        closest.poll();
      }
    }
    List<Event> timeline = new ArrayList<>(closest);
    timeline.sort(Comparator.comparingLong((Event e) -> e.timeMicros).thenComparing(e -> e.source).thenComparing(e -> e.location));

    List<Candidate> candidates = new ArrayList<>();
    for (Incident i : incidents) {
      if (t.seminarId != null && !t.seminarId.equals(i.seminarId)) {
        continue;
      }
      boolean own = t.userId != null && t.userId.equals(i.userId);
      boolean inUserSession = i.userId == null && i.sessionId != null && userSessions.contains(i.seminarId + "|" + i.sessionId);
      if (t.userId != null && !own && !inUserSession) {
        continue;
      }
      long distance = t.reportedAtMicros < i.firstSeenMicros ? i.firstSeenMicros - t.reportedAtMicros
          : t.reportedAtMicros > i.lastSeenMicros ? t.reportedAtMicros - i.lastSeenMicros : 0;
      if (distance <= MATCH_TOLERANCE) {
        candidates.add(new Candidate(i, own, distance, t.platform != null && t.platform.equals(i.platform)));
      }
    }
    candidates.sort(Candidate.BEST_FIRST);
    String outOfScope = candidates.isEmpty() ? outOfScope(t, window, scope) : null;
    return JsonOut.line(render(t, candidates, timeline, userTelemetry, outOfScope));
  }

  private static ObjectNode render(Ticket t, List<Candidate> candidates, List<Event> timeline, boolean userTelemetry,
      @Nullable String outOfScope) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("ticket_id", t.ticketId);
    o.put("seminar_id", t.seminarId);
    o.put("user_id", t.userId);
    o.put("platform", t.platform);
    o.put("reported_at", Times.iso(t.reportedAtMicros));
    o.put("subject", t.subject);
    Candidate best = candidates.isEmpty() ? null : candidates.get(0);
    boolean nothingToMatch = t.userId == null && t.seminarId == null;
    o.put("status", nothingToMatch ? UNREADABLE : best != null ? "matched" : outOfScope != null ? "out_of_scope"
        : userTelemetry ? "telemetry_no_incident" : "no_telemetry");
    if (nothingToMatch) {
      o.put("reason", "names neither a user_id nor a seminar_id: nothing to match it to");
    } else if (outOfScope != null) {
      o.put("reason", outOfScope);
    }
    o.put("symptom", best == null ? null : best.incident.symptom);
    o.put("cause", best == null ? null : best.incident.cause);
    o.put("incident_id", best == null ? null : best.incident.incidentId);
    o.put("summary", best == null ? null : best.incident.summary);
    o.put("resolution", best == null ? null : best.incident.resolution);
    ArrayNode all = o.putArray("incidents");
    for (Candidate cand : candidates) {
      ObjectNode x = all.addObject();
      x.put("incident_id", cand.incident.incidentId);
      x.put("symptom", cand.incident.symptom);
      x.put("cause", cand.incident.cause);
      x.put("severity", cand.incident.severity);
      x.put("session_id", cand.incident.sessionId);
      x.put("user_id", cand.incident.userId);
      x.put("first_seen", Times.iso(cand.incident.firstSeenMicros));
      x.put("last_seen", Times.iso(cand.incident.lastSeenMicros));
      x.put("match", cand.own ? "the ticket's user" : "the user's session");
      x.put("minutes_from_report", Math.round(cand.distance / 60e6));
      x.put("summary", cand.incident.summary);
    }
    ArrayNode tl = o.putArray("timeline");
    for (Event e : timeline) {
      tl.add(JsonOut.timeline(e));
    }
    return o;
  }

  static final class Candidate {
    static final Map<String, Integer> SEVERITY = new HashMap<>(Map.of("critical", 0, "high", 1, "medium", 2, "low", 3));
    static final Comparator<Candidate> BEST_FIRST = Comparator.comparing((Candidate c) -> !c.own)
        .thenComparingLong(c -> c.distance)
        .thenComparing(c -> !c.platformMatch)
        .thenComparing(c -> SEVERITY.getOrDefault(c.incident.severity, 9))
        .thenComparing(c -> c.incident.incidentId);
    final Incident incident;
    final boolean own;
    final long distance;
    final boolean platformMatch;

    Candidate(Incident incident, boolean own, long distance, boolean platformMatch) {
      this.incident = incident;
      this.own = own;
      this.distance = distance;
      this.platformMatch = platformMatch;
    }
  }
}
