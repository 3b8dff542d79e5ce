package dev.jpd.core.label;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Go's {@code time.ParseDuration} for label TTLs: {@code "1h30m"}, {@code "1.5s"}, {@code "-10m"}, {@code "0"}. */
final class GoDurations {
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDurations() {}

  static Duration parse(String s) {
    String rest = s;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw bad(s);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int numStart = i;
      while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
        i++;
      }
      String num = rest.substring(numStart, unitStart);
      Long unit = NANOS.get(rest.substring(unitStart, i));
      if (num.isEmpty() || num.equals(".") || unit == null) {
        throw bad(s);
      }
      try {
        total = total.add(new BigDecimal(num).multiply(BigDecimal.valueOf(unit)));
      } catch (NumberFormatException e) {
        throw bad(s);
      }
    }
    Duration d = Duration.ofNanos(total.longValue());
    return negative ? d.negated() : d;
  }

  private static IllegalArgumentException bad(String s) {
    return new IllegalArgumentException(
        "invalid duration \"" + s + "\": want a Go duration such as \"10m\" or \"1h30m\"");
  }
}
