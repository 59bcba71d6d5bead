package dev.sfutriage.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.model.Event;
import org.junit.jupiter.api.Test;

/**
 * Only the events without seminar that some cause's global condition can match travel to the
 * classifiers (on a day of 50 000 seminars the routine webhook requests alone were millions and filled
 * the heap as a side input); the ones the default rules look at must stay.
 */
class GlobalSideInputTest {
  static final RuleSet RULES = RulesLoader.loadDefault("seminar-(?<seminar>[0-9a-fA-F-]{36})-(?<session>[0-9a-fA-F-]{36})");

  private static Event request(String path, long status) {
    return Event.builder("backend_logs", "http_request").time(1_795_400_000_000_000L).location("x:1")
        .attr("path", path).num("status_code", status).build();
  }

  @Test
  void theGlobalEventsTheDefaultRulesLookAtAreKept() {
    assertTrue(RULES.usedAsGlobal(request("/sfu/token", 503)), "backend_error: a 5xx of the token endpoint");
    assertTrue(RULES.usedAsGlobal(Event.builder("backend_logs", "livekit_webhook_retry").time(1L).location("x:2").build()));
    assertTrue(RULES.usedAsGlobal(Event.builder("backend_logs", "livekit_webhook_rejected").time(1L).location("x:3")
        .attr("error", "Invalid signature").build()), "webhook_signature_mismatch");
  }

  @Test
  void routineRequestsAndOtherFailuresNoRuleNamesAreNot() {
    assertFalse(RULES.usedAsGlobal(request("/livekit/webhook", 200)));
    assertFalse(RULES.usedAsGlobal(request("/sfu/token", 200)));
    assertFalse(RULES.usedAsGlobal(request("/sfu/token", 404)), "a 4xx is no backend error");
    assertFalse(RULES.usedAsGlobal(Event.builder("backend_logs", "livekit_webhook_processed").time(1L).location("x:4").build()));
  }
}
