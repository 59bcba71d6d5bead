package dev.sfutriage.rulecases;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every symptom and cause of data-contract §7 has at least one true positive and two near misses.
 * A case file is named for the cause it pins down: {@code tp_<cause>[_more].yaml} fires it,
 * {@code nm_<cause>_<what>.yaml} is one event away from it and must not fire it.
 */
final class Coverage {
  /** data-contract §7: symptom → causes (the contract, not the rules file, is the reference). */
  static final Map<String, List<String>> CONTRACT = Map.of(
      "token_fetch_failed", List.of("no_access", "seminar_not_live", "livekit_config_missing", "backend_error", "unknown"),
      "stuck_connecting", List.of("room_not_created", "websocket_blocked", "unknown"),
      "media_dropped", List.of("webhook_backlog", "unknown"),
      "recording_missing", List.of("webhook_signature_mismatch", "webhook_failed", "webhook_not_delivered", "unknown"),
      "connect_with_token_failed", List.of("device_clock_skew", "token_expired", "invalid_ws_url", "unknown"));
  static final int NEAR_MISSES = 2;

  private Coverage() {}

  static void check(List<RuleCase> cases) {
    List<String> gaps = new ArrayList<>();
    CONTRACT.forEach((symptom, causes) -> {
      for (String cause : causes) {
        long tp = cases.stream().filter(c -> is(c, symptom, "tp_", cause)
            && c.expected.stream().anyMatch(x -> x.symptom().equals(symptom) && x.cause().equals(cause))).count();
        long nm = cases.stream().filter(c -> is(c, symptom, "nm_", cause)).count();
        if (tp < 1) {
          gaps.add(symptom + "/" + cause + ": no true positive (" + symptom + "/tp_" + cause + "*.yaml expecting it)");
        }
        if (nm < NEAR_MISSES) {
          gaps.add(symptom + "/" + cause + ": " + nm + " near misses, want " + NEAR_MISSES + " (" + symptom + "/nm_" + cause + "_*.yaml)");
        }
      }
    });
    for (RuleCase c : cases) {
      String file = c.name.substring(c.name.lastIndexOf('/') + 1);
      if (!file.startsWith("tp_") && !file.startsWith("nm_")) {
        gaps.add(c.name + ": a case file is named tp_<cause>... or nm_<cause>...");
      }
      if (file.startsWith("tp_") && c.expected.isEmpty()) {
        gaps.add(c.name + ": a true positive expects an incident");
      }
    }
    if (!gaps.isEmpty()) {
      fail("rule case coverage gaps:\n  " + String.join("\n  ", gaps));
    }
  }

  private static boolean is(RuleCase c, String symptom, String kind, String cause) {
    String prefix = symptom + "/" + kind + cause;
    return c.name.equals(prefix + ".yaml") || c.name.startsWith(prefix + "_");
  }
}
