package dev.sfutriage.rules;

import dev.sfutriage.model.Event;
import dev.sfutriage.util.Numbers;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One declarative test on one field of an event: (field, operator, value). */
public final class FieldPredicate implements Serializable {
  public enum Op { EQ, NE, IN, NOT_IN, GT, GTE, LT, LTE, CONTAINS, CONTAINS_ANY, NOT_CONTAINS, MATCHES, EXISTS }

  public final String field;
  public final Op op;
  /** Operands: numbers as Double, everything else as String (Boolean for EXISTS). */
  public final List<Object> values;
  private final @Nullable Pattern regex;

  FieldPredicate(String field, Op op, List<Object> values) {
    this.field = field;
    this.op = op;
    this.values = List.copyOf(values);
    this.regex = op == Op.MATCHES ? Pattern.compile(String.valueOf(values.get(0))) : null;
  }

  /** The field as the rules see it: the event's own fields first, then text, then numeric attributes. */
  public static @Nullable Object valueOf(Event e, String field) {
    switch (field) {
      case "source":
        return e.source;
      case "event":
        return e.name;
      case "seminar_id":
        return e.seminarId;
      case "session_id":
        return e.sessionId;
      case "user_id":
        return e.userId;
      case "platform":
        return e.platform;
      default:
        String s = e.attrs.get(field);
        return s != null ? s : e.nums.get(field);
    }
  }

  public boolean test(Event e) {
    Object actual = valueOf(e, field);
    switch (op) {
      case EXISTS:
        return (actual != null) == Boolean.TRUE.equals(values.get(0));
      case EQ:
        return actual != null && equal(actual, values.get(0));
      case NE:
        return actual == null || !equal(actual, values.get(0));
      case IN:
        return actual != null && values.stream().anyMatch(v -> equal(actual, v));
      case NOT_IN:
        return actual == null || values.stream().noneMatch(v -> equal(actual, v));
      case GT:
      case GTE:
      case LT:
      case LTE:
        Double a = number(actual);
        Double b = number(values.get(0));
        if (a == null || b == null) {
          return false;
        }
        int c = Double.compare(a, b);
        return op == Op.GT ? c > 0 : op == Op.GTE ? c >= 0 : op == Op.LT ? c < 0 : c <= 0;
      case CONTAINS:
        return actual != null && lower(actual).contains(lower(values.get(0)));
      case NOT_CONTAINS:
        return actual == null || !lower(actual).contains(lower(values.get(0)));
      case CONTAINS_ANY:
        return actual != null && values.stream().anyMatch(v -> lower(actual).contains(lower(v)));
      case MATCHES:
        return actual != null && regex.matcher(text(actual)).find();
      default:
        throw new IllegalStateException(op.toString());
    }
  }

  private static boolean equal(Object actual, Object expected) {
    if (expected instanceof Double) {
      Double a = number(actual);
      return a != null && a.doubleValue() == (Double) expected;
    }
    return text(actual).equals(text(expected));
  }

  static @Nullable Double number(@Nullable Object o) {
    if (o instanceof Number) {
      return ((Number) o).doubleValue();
    }
    if (o instanceof String) {
      try {
        return Double.valueOf(((String) o).trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static String text(Object o) {
    if (o instanceof Number) {
      return Numbers.text((Number) o, "%s");
    }
    return String.valueOf(o);
  }

  private static String lower(Object o) {
    return text(o).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return field + " " + op.name().toLowerCase(Locale.ROOT) + " " + (values.size() == 1 ? values.get(0) : values);
  }
}
