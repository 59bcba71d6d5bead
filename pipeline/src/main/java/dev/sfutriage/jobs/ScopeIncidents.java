package dev.sfutriage.jobs;

import dev.sfutriage.model.Event;
import dev.sfutriage.model.Incident;
import dev.sfutriage.read.RunScope;
import java.util.List;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * An ad-hoc run reports only the incidents of its scope: the seminar's, the session's, or the
 * user's own plus the session-wide ones of the sessions that user was in.
 */
public final class ScopeIncidents extends PTransform<PCollection<Incident>, PCollection<Incident>> {
  private final RunScope scope;
  private final PCollection<Event> events;

  public ScopeIncidents(RunScope scope, PCollection<Event> events) {
    this.scope = scope;
    this.events = events;
  }

  @Override
  public PCollection<Incident> expand(PCollection<Incident> incidents) {
    if (!scope.isAdHoc()) {
      return incidents;
    }
    String user = scope.userId;
    PCollectionView<List<String>> userSessions = events
        .apply("UserEvents", Filter.by((Event e) -> isUserSessionEvent(user, e)))
        .apply("UserSession", MapElements.into(TypeDescriptors.strings()).via(ScopeIncidents::userSession))
        .apply("Distinct", Distinct.create())
        .apply("SessionView", View.asList());
    return incidents.apply("InScope", ParDo.of(new InScopeFn(scope, userSessions)).withSideInputs(userSessions))
        .setCoder(incidents.getCoder());
  }

  /** {@link #expand} on lists held in memory (the in-process engine). */
  public static List<Incident> inProcess(List<Incident> incidents, List<Event> events, RunScope scope) {
    if (!scope.isAdHoc()) {
      return incidents;
    }
    java.util.Set<String> sessions = new java.util.HashSet<>();
    for (Event e : events) {
      if (isUserSessionEvent(scope.userId, e)) {
        sessions.add(userSession(e));
      }
    }
    return dev.sfutriage.util.InMemory.filter(incidents, i -> inScope(scope, i, sessions));
  }

  private static boolean isUserSessionEvent(String user, Event e) {
    return user != null && user.equals(e.userId) && e.sessionId != null;
  }

  private static String userSession(Event e) {
    return e.seminarId + "|" + e.sessionId;
  }

  /** The seminar's, the session's, or the user's own incidents and those of the sessions the user was in. */
  static boolean inScope(RunScope scope, Incident i, java.util.Collection<String> userSessions) {
    if (scope.seminarId != null && !scope.seminarId.equals(i.seminarId)) {
      return false;
    }
    if (scope.sessionId != null && !scope.sessionId.equals(i.sessionId)) {
      return false;
    }
    return scope.userId == null || scope.userId.equals(i.userId)
        || (i.userId == null && userSessions.contains(i.seminarId + "|" + i.sessionId));
  }

  static final class InScopeFn extends DoFn<Incident, Incident> {
    private final RunScope scope;
    private final PCollectionView<List<String>> userSessions;

    InScopeFn(RunScope scope, PCollectionView<List<String>> userSessions) {
      this.scope = scope;
      this.userSessions = userSessions;
    }

    @ProcessElement
    public void process(@Element Incident i, OutputReceiver<Incident> out, ProcessContext c) {
      if (inScope(scope, i, c.sideInput(userSessions))) {
        out.output(i);
      }
    }
  }
}
