package dev.jpd.core.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's duration strings, as PD writes them in its TOML files and JSON answers: {@code "30m"},
 * {@code "1h"}, {@code "10ms"}, {@code "1m30s"}, {@code "1.5h"}, {@code "500us"}.
 *
 * <p>{@link #parse} accepts what Go's {@code time.ParseDuration} accepts: an optional sign, then
 * one or more decimal numbers (with an optional fraction) each followed by a unit out of
 * {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}; the bare
 * string {@code "0"} is zero. {@link #format} writes what Go's {@code Duration.String()} writes
 * ({@code "30m0s"}, {@code "1h0m0s"}, {@code "10ms"}, {@code "1.5µs"}), so that our
 * {@code /pd/api/v1/config} answers read like PD's. Durations are limited to Go's range: a signed
 * 64-bit count of nanoseconds (about 292 years).
 */
public final class GoDuration {

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);
  private static final String UNITS = "ns, us, ms, s, m or h";

  private GoDuration() {}

  /**
   * Parses a Go duration string.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid duration: missing value");
    }
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, "empty duration; write a number and a unit (" + UNITS + "), e.g. \"30m\"");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text, "expected a number at \"" + s.substring(start) + "\"");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw invalid(text, "missing unit after " + number + "; use " + UNITS);
      }
      long unitNanos = unitNanos(unit);
      if (unitNanos == 0) {
        throw invalid(text, "unknown unit \"" + unit + "\"; use " + UNITS);
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
    }
    // Go truncates fractions of a nanosecond.
    BigInteger nanos = total.toBigInteger();
    if (negative) {
      nanos = nanos.negate();
    }
    if (nanos.compareTo(MAX_NANOS) > 0 || nanos.compareTo(MIN_NANOS) < 0) {
      throw invalid(text, "out of range (at most about 292 years)");
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /**
   * Formats like Go's {@code Duration.String()}: {@code 0s}, {@code 10ms}, {@code 1.5µs},
   * {@code 30m0s}, {@code 1h0m0s}, {@code 1h2m3.5s}.
   *
   * @throws ArithmeticException if the duration does not fit in a signed 64-bit nanosecond count
   */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    // BigInteger because Long.MIN_VALUE has no positive long counterpart.
    BigInteger abs = BigInteger.valueOf(nanos).abs();
    BigInteger[] secondsAndNanos = abs.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    long totalSeconds = secondsAndNanos[0].longValueExact();
    long subSecond = secondsAndNanos[1].longValueExact();
    if (totalSeconds == 0) {
      if (subSecond < 1_000L) {
        return sign + subSecond + "ns";
      }
      if (subSecond < 1_000_000L) {
        return sign + fraction(subSecond, 3) + "µs";
      }
      return sign + fraction(subSecond, 6) + "ms";
    }
    StringBuilder out = new StringBuilder(sign);
    long hours = totalSeconds / 3600;
    long minutes = (totalSeconds / 60) % 60;
    long seconds = totalSeconds % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (totalSeconds >= 60) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    String frac = fractionDigits(subSecond, 9);
    if (!frac.isEmpty()) {
      out.append('.').append(frac);
    }
    return out.append('s').toString();
  }

  /** {@code value / 10^digits} written without trailing zeros, e.g. (1500, 3) → "1.5". */
  private static String fraction(long value, int digits) {
    long pow = 1;
    for (int i = 0; i < digits; i++) {
      pow *= 10;
    }
    String frac = fractionDigits(value % pow, digits);
    return frac.isEmpty() ? Long.toString(value / pow) : (value / pow) + "." + frac;
  }

  private static String fractionDigits(long remainder, int digits) {
    if (remainder == 0) {
      return "";
    }
    String padded = String.format("%0" + digits + "d", remainder);
    int end = padded.length();
    while (padded.charAt(end - 1) == '0') {
      end--;
    }
    return padded.substring(0, end);
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "µs": // U+00B5 micro sign
      case "μs": // U+03BC Greek small letter mu
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        return 0;
    }
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid duration \"" + text + "\": " + why);
  }
}
