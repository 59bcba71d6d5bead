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
        .apply("UserEvents", Filter.by((Event e) -> user != null && user.equals(e.userId) && e.sessionId != null))
        .apply("UserSession", MapElements.into(TypeDescriptors.strings()).via((Event e) -> e.seminarId + "|" + e.sessionId))
        .apply("Distinct", Distinct.create())
        .apply("SessionView", View.asList());
    return incidents.apply("InScope", ParDo.of(new InScopeFn(scope, userSessions)).withSideInputs(userSessions))
        .setCoder(incidents.getCoder());
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
      if (scope.seminarId != null && !scope.seminarId.equals(i.seminarId)) {
        return;
      }
      if (scope.sessionId != null && !scope.sessionId.equals(i.sessionId)) {
        return;
      }
      if (scope.userId != null && !scope.userId.equals(i.userId)
          && !(i.userId == null && c.sideInput(userSessions).contains(i.seminarId + "|" + i.sessionId))) {
        return;
      }
      out.output(i);
    }
  }
}
