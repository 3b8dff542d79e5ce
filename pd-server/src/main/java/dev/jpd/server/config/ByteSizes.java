package dev.jpd.server.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PD's byte sizes ({@code quota-backend-bytes = "8GiB"}): a number and an optional unit, where
 * every unit is a power of 1024 whether or not it is spelled with an {@code i} ({@code "8GB"},
 * {@code "8GiB"}, {@code "8g"} are all 8 × 2<sup>30</sup>), as Go's {@code units.RAMInBytes}
 * reads them. Written back in PD's JSON shape: four significant digits and a binary unit,
 * {@code "8GiB"}, {@code "150MiB"}.
 */
final class ByteSizes {

  private static final Pattern SIZE =
      Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?$", Pattern.CASE_INSENSITIVE);
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private ByteSizes() {}

  /**
   * Parses a size such as {@code "8GiB"}, {@code "512MB"}, {@code "1024"}.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size; write a number of bytes or a number with KiB, MiB, GiB or TiB, e.g. \"8GiB\"");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    int power = "kmgtp".indexOf(unit.isEmpty() ? 'x' : unit.charAt(0)) + 1;
    BigDecimal bytes = value.multiply(BigDecimal.valueOf(1024).pow(power));
    try {
      return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size out of range", e);
    }
  }

  /** Formats like Go's {@code units.BytesSize}: {@code "8GiB"}, {@code "150MiB"}, {@code "1.5KiB"}. */
  static String format(long bytes) {
    BigDecimal value = BigDecimal.valueOf(bytes);
    BigDecimal step = BigDecimal.valueOf(1024);
    int unit = 0;
    while (value.compareTo(step) >= 0 && unit < UNITS.length - 1) {
      value = value.divide(step);
      unit++;
    }
    BigDecimal rounded = value.round(new MathContext(4, RoundingMode.HALF_EVEN));
    return rounded.stripTrailingZeros().toPlainString() + UNITS[unit];
  }
}
