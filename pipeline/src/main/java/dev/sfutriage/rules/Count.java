package dev.sfutriage.rules;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "N" (at least N) or a comparison like ">= 3", "== 0", "< 2". */
public final class Count implements Serializable {
  private static final Pattern FORM = Pattern.compile("\\s*(>=|<=|==|!=|>|<)?\\s*(\\d+)\\s*");
  public static final Count AT_LEAST_ONE = new Count(">=", 1);

  public final String op;
  public final long n;

  private Count(String op, long n) {
    this.op = op;
    this.n = n;
  }

  static Count parse(YamlNode node) {
    Matcher m = FORM.matcher(node.text());
    if (!m.matches()) {
      throw node.error("count must be a number or a comparison like \">= 3\" or \"== 0\", got '" + node.text() + "'");
    }
    return new Count(m.group(1) == null ? ">=" : m.group(1), Long.parseLong(m.group(2)));
  }

  public boolean test(long actual) {
    switch (op) {
      case ">=":
        return actual >= n;
      case "<=":
        return actual <= n;
      case "==":
        return actual == n;
      case "!=":
        return actual != n;
      case ">":
        return actual > n;
      default:
        return actual < n;
    }
  }

  /** The fewest matches that satisfy an "at least" form (">= 3" and "> 2" are both 3). */
  public long minimum() {
    return op.equals(">") ? n + 1 : n;
  }

  /** More matches can only keep it true ("at least" forms). */
  public boolean increasing() {
    return op.equals(">=") || op.equals(">");
  }

  /** More matches can only keep it false ("at most" forms). */
  public boolean decreasing() {
    return op.equals("<=") || op.equals("<") || (op.equals("==") && n == 0);
  }


  @Override
  public String toString() {
    return op + " " + n;
  }
}
