package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/** {source, event, where}: which events a detection or a condition is about. */
public final class Match implements Serializable {
  public final Set<String> sources;
  public final Set<String> events;
  public final List<FieldPredicate> where;
  /** Position in the rule set's session predicates, or -1 when never evaluated on session facts. */
  int sessionIndex = -1;

  Match(Set<String> sources, Set<String> events, List<FieldPredicate> where) {
    this.sources = Set.copyOf(sources);
    this.events = Set.copyOf(events);
    this.where = List.copyOf(where);
  }

  public boolean test(Event e) {
    if (!sources.isEmpty() && !sources.contains(e.source)) {
      return false;
    }
    if (!events.isEmpty() && !events.contains(e.name)) {
      return false;
    }
    for (FieldPredicate p : where) {
      if (!p.test(e)) {
        return false;
      }
    }
    return true;
  }

  public int sessionIndex() {
    return sessionIndex;
  }

  /** Canonical text: equal matches share one session predicate. */
  String key() {
    return new java.util.TreeSet<>(sources) + "/" + new java.util.TreeSet<>(events) + "/" + where;
  }

  /** Readable: "analytics livekit_room_state (state eq connected)". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(sources.isEmpty() ? "any source" : String.join("/", new java.util.TreeSet<>(sources)));
    sb.append(' ').append(events.isEmpty() ? "any event" : String.join("/", new java.util.TreeSet<>(events)));
    if (!where.isEmpty()) {
      sb.append(" (");
      for (int i = 0; i < where.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(where.get(i));
      }
      sb.append(')');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return key();
  }
}
