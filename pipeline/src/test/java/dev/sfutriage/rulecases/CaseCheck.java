package dev.sfutriage.rulecases;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sfutriage.model.Evidence;
import dev.sfutriage.model.Incident;
import dev.sfutriage.model.PendingCase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Compares one case's slice of a run with what the case expects; on failure says why, in full. */
final class CaseCheck {
  private CaseCheck() {}

  /** @param shift how far the run moved the case's times (taken off again before comparing) */
  static void check(RuleCase c, RuleCasesTest.Result run, String tag, long shift) {
    if (run.error() != null) {
      fail("the pipeline run of " + c.name + " failed: " + run.error() + "\n--- case file ---\n" + c.text, run.error());
    }
    List<Incident> actual = new ArrayList<>();
    List<Incident> unattributed = new ArrayList<>();
    for (Incident i : run.incidents()) {
      if (belongs(i, tag)) {
        actual.add(i);
      } else if (!belongsToAnyCase(i)) {
        unattributed.add(i); // no tagged id at all: it cannot be told which case it came from
      }
    }
    // Times are compared and printed on the case's own time line: the run may have moved the case.
    actual.sort(Comparator.comparingLong((Incident i) -> i.firstSeenMicros).thenComparing(i -> i.symptom + i.cause));
    List<Incident> unmatched = new ArrayList<>(actual);
    List<RuleCase.Expected> missing = new ArrayList<>();
    // Most specific expectations first, so a wildcard cannot take the incident a precise one needs.
    List<RuleCase.Expected> expected = new ArrayList<>(c.expected);
    expected.sort(Comparator.comparingInt(CaseCheck::wildcards));
    for (RuleCase.Expected x : expected) {
      Incident hit = unmatched.stream().filter(i -> matches(x, i, tag, shift)).findFirst().orElse(null);
      if (hit == null) {
        missing.add(x);
      } else {
        unmatched.remove(hit);
      }
    }
    boolean countOk = c.expectCount == null || c.expectCount == actual.size();
    if (missing.isEmpty() && unmatched.isEmpty() && unattributed.isEmpty() && countOk) {
      return;
    }
    StringBuilder m = new StringBuilder();
    m.append("Case ").append(c.name).append(": ").append(c.description).append('\n');
    missing.forEach(x -> m.append("  EXPECTED, did not fire: ").append(x).append('\n'));
    unmatched.forEach(i -> m.append("  FIRED, not expected:    ").append(identity(i, tag, shift)).append('\n'));
    unattributed.forEach(i -> m.append("  FIRED without any case id (seminar/session/user): ").append(identity(i, tag, shift)).append('\n'));
    if (!countOk) {
      m.append("  expect_count ").append(c.expectCount).append(" but ").append(actual.size()).append(" fired\n");
    }
    m.append("Actual incidents of this case (").append(actual.size()).append("):\n");
    actual.forEach(i -> describe(m, i, tag, shift));
    List<PendingCase> pending = run.pending().stream().filter(p -> tag(p.seminarId, p.sessionId, p.userId, tag)).toList();
    if (!pending.isEmpty()) {
      m.append("Pending (wait ends after the window):\n");
      pending.forEach(p -> m.append("  - ").append(p.symptom).append(" seminar=").append(RuleCase.strip(tag, p.seminarId))
          .append(" session=").append(RuleCase.strip(tag, p.sessionId)).append(" user=").append(RuleCase.strip(tag, p.userId))
          .append(" waits until ").append(RuleCase.iso(p.waitUntilMicros - shift)).append(": ").append(untag(p.reason, tag)).append('\n'));
    }
    m.append("--- ").append(c.name).append(" ---\n").append(c.text);
    fail(m.toString());
  }

  private static boolean matches(RuleCase.Expected x, Incident i, String tag, long shift) {
    return x.symptom().equals(i.symptom) && x.cause().equals(i.cause)
        && x.seminar().accepts(RuleCase.strip(tag, i.seminarId))
        && x.session().accepts(RuleCase.strip(tag, i.sessionId))
        && x.user().accepts(RuleCase.strip(tag, i.userId))
        && (x.firstSeen() == null || x.firstSeen() == i.firstSeenMicros - shift)
        && (x.lastSeen() == null || x.lastSeen() == i.lastSeenMicros - shift);
  }

  private static int wildcards(RuleCase.Expected x) {
    int n = 0;
    for (RuleCase.Opt o : List.of(x.seminar(), x.session(), x.user())) {
      n += o.given() ? 0 : 1;
    }
    return n + (x.firstSeen() == null ? 1 : 0) + (x.lastSeen() == null ? 1 : 0);
  }

  private static boolean belongs(Incident i, String tag) {
    return tag(i.seminarId, i.sessionId, i.userId, tag);
  }

  private static boolean tag(String seminar, String session, String user, String tag) {
    for (String id : new String[] {seminar, user, session}) {
      if (id != null) {
        return id.startsWith(tag);
      }
    }
    return false;
  }

  private static boolean belongsToAnyCase(Incident i) {
    return (i.seminarId != null && i.seminarId.matches("c\\d+:.*")) || (i.userId != null && i.userId.matches("c\\d+:.*"))
        || (i.sessionId != null && i.sessionId.matches("c\\d+:.*"));
  }

  private static String identity(Incident i, String tag, long shift) {
    return i.symptom + "/" + i.cause + " seminar=" + RuleCase.strip(tag, i.seminarId) + " session="
        + RuleCase.strip(tag, i.sessionId) + " user=" + RuleCase.strip(tag, i.userId)
        + " first_seen=" + RuleCase.iso(i.firstSeenMicros - shift) + " last_seen=" + RuleCase.iso(i.lastSeenMicros - shift);
  }

  private static void describe(StringBuilder m, Incident i, String tag, long shift) {
    m.append("  - ").append(identity(i, tag, shift)).append('\n');
    m.append("    summary: ").append(untag(i.summary, tag)).append('\n');
    if (!i.checks.isEmpty()) {
      m.append("    checks:\n");
      i.checks.forEach(ch -> m.append("      ").append(untag(ch, tag)).append('\n'));
    }
    m.append("    evidence:\n");
    for (Evidence e : i.evidence) {
      m.append("      ").append(RuleCase.iso(e.timeMicros - shift)).append(' ').append(e.source).append('/').append(e.event)
          .append(": ").append(untag(e.detail, tag)).append("  (").append(e.location).append(")\n");
    }
  }

  private static String untag(String text, String tag) {
    return text == null ? "" : text.replace(tag, "");
  }
}
