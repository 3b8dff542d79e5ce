package dev.jpd.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GoDurationTest {

  /** text, nanoseconds, what Go's Duration.String() writes for it. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "30m      | 1800000000000     | 30m0s",
      "1h       | 3600000000000     | 1h0m0s",
      "10ms     | 10000000          | 10ms",
      "1m30s    | 90000000000       | 1m30s",
      "500us    | 500000            | 500µs",
      "500µs    | 500000            | 500µs",
      "500μs    | 500000            | 500µs",
      "1.5µs    | 1500              | 1.5µs",
      "7ns      | 7                 | 7ns",
      "0        | 0                 | 0s",
      "0s       | 0                 | 0s",
      "-0       | 0                 | 0s",
      "5s       | 5000000000        | 5s",
      "1.5h     | 5400000000000     | 1h30m0s",
      ".5s      | 500000000         | 500ms",
      "1.s      | 1000000000        | 1s",
      "+2s      | 2000000000        | 2s",
      "-1m2s    | -62000000000      | -1m2s",
      "1h2m3.5s | 3723500000000     | 1h2m3.5s",
      "48h      | 172800000000000   | 48h0m0s",
      "24h      | 86400000000000    | 24h0m0s",
      "1.0000000005s | 1000000000   | 1s",
      "2562047h47m16.854775807s | 9223372036854775807 | 2562047h47m16.854775807s",
  })
  void parsesAndFormatsLikeGo(String text, long nanos, String formatted) {
    Duration d = GoDuration.parse(text);
    assertThat(d).isEqualTo(Duration.ofNanos(nanos));
    assertThat(GoDuration.format(d)).isEqualTo(formatted);
    assertThat(GoDuration.parse(formatted)).isEqualTo(d);
  }

  @Test
  void formatsTheSmallestDuration() {
    assertThat(GoDuration.format(Duration.ofNanos(Long.MIN_VALUE)))
        .isEqualTo("-2562047h47m16.854775808s");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "3x      | unknown unit \"x\"",
      "30      | missing unit after 30",
      "''      | empty duration",
      "-       | empty duration",
      "m       | expected a number",
      "1h 30m  | unknown unit \"h \"",
      "1..5s   | expected a number",
      "30M     | unknown unit \"M\"",
      "3000000h | out of range",
  })
  void rejectsWhatGoRejects(String text, String why) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration \"" + text + "\": ")
        .hasMessageContaining(why);
  }
}
