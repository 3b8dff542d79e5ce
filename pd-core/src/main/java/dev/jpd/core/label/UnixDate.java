package dev.jpd.core.label;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Go's {@code time.UnixDate} layout ({@code "Mon Jan _2 15:04:05 MST 2006"}), which PD uses for a
 * label's {@code start_at}. We write UTC; we read any zone name Java knows.
 */
final class UnixDate {
  private static final DateTimeFormatter LAYOUT =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.ENGLISH);

  private UnixDate() {}

  static String format(Instant t) {
    return LAYOUT.format(t.atZone(ZoneId.of("UTC")));
  }

  static Instant parse(String s) {
    try {
      return ZonedDateTime.parse(s, LAYOUT).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "invalid start_at \"" + s + "\": want Go's UnixDate layout, e.g. \"Mon Jan  2 15:04:05 UTC 2006\"");
    }
  }
}
