package dev.sfutriage.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The two numeric types an {@code Event} carries: {@link Long} for integers (an INT64 such as
 * {@code -5164663614086310235} keeps every digit) and {@link Double} for everything else.
 */
public final class Numbers {
  private Numbers() {}

  /** An integer type as a Long, a BigInteger that fits as a Long, anything else as a Double; NaN → null. */
  public static @Nullable Number canonical(@Nullable Number n) {
    if (n == null || n instanceof Long) {
      return n;
    }
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger) {
      BigInteger b = (BigInteger) n;
      return b.bitLength() < 64 ? (Number) b.longValue() : (Number) b.doubleValue();
    }
    double d = n instanceof BigDecimal ? n.doubleValue() : n.doubleValue();
    return Double.isNaN(d) ? null : d;
  }

  /** A Long as digits; a Double as digits when whole (below 1e15), else by {@code format}. */
  public static String text(Number n, String format) {
    if (n instanceof Long) {
      return n.toString();
    }
    double d = n.doubleValue();
    return Json.numberText(d, String.format(Locale.ROOT, format, d));
  }
}
