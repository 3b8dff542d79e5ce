package dev.jpd.core.region;

import static dev.jpd.core.region.Hb.bytes;
import static dev.jpd.core.region.Hb.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyOrderTest {

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    "'', '', 0",
    "'', a, -1",
    "a, b, -1",
    "a, ab, -1",
    "ab, b, -1",
    "\\x7F, \\x80, -1",
    "\\x80, \\xFF, -1",
    "a\\xFF, b, -1",
    "\\xFF, \\xFF\\x00, -1",
    "b, b, 0",
  })
  void comparesUnsigned(String a, String b, int sign) {
    assertThat(Integer.signum(KeyOrder.compare(key(a), key(b)))).isEqualTo(sign);
    assertThat(Integer.signum(KeyOrder.compare(key(b), key(a)))).isEqualTo(-sign);
    assertThat(Integer.signum(KeyOrder.compare(bytes(a), bytes(b)))).isEqualTo(sign);
  }

  @Test
  void emptyEndKeyIsInfinity() {
    assertThat(KeyOrder.compareEnd(key(""), key("\\xFF\\xFF"))).isPositive();
    assertThat(KeyOrder.compareEnd(key("\\xFF"), key(""))).isNegative();
    assertThat(KeyOrder.compareEnd(key(""), key(""))).isZero();
    assertThat(KeyOrder.compareEnd(key("a"), key("\\x80"))).isNegative();
    assertThat(KeyOrder.startsBefore(key("\\xFF"), key(""))).isTrue();
    assertThat(KeyOrder.startsBefore(key("b"), key("b"))).isFalse();
  }

  @ParameterizedTest(name = "[{0}, {1}) contains {2}: {3}")
  @CsvSource({
    "'', '', '', true",
    "'', '', \\xFF\\xFF, true",
    "a, c, a, true",
    "a, c, b\\xFF, true",
    "a, c, c, false",
    "a, c, '', false",
    "a, '', \\xFF, true",
    "\\x7F, \\x80, \\x7F\\xFF, true",
    "\\x7F, \\x80, \\x80, false",
    "'', \\x80, \\x7F, true",
  })
  void contains(String start, String end, String k, boolean expected) {
    assertThat(KeyOrder.contains(key(start), key(end), key(k))).isEqualTo(expected);
    assertThat(KeyOrder.contains(bytes(start), bytes(end), bytes(k))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}, {1}) overlaps [{2}, {3}): {4}")
  @CsvSource({
    "a, c, b, d, true",
    "a, c, c, d, false",
    "c, d, a, c, false",
    "a, '', z, '', true",
    "'', '', m, n, true",
    "a, b, \\x80, '', false",
    "\\x80, '', a, b, false",
    "\\x80, '', a, \\x81, true",
    "a, d, b, c, true",
  })
  void overlaps(String s1, String e1, String s2, String e2, boolean expected) {
    assertThat(KeyOrder.overlaps(key(s1), key(e1), key(s2), key(e2))).isEqualTo(expected);
    assertThat(KeyOrder.overlaps(bytes(s2), bytes(e2), bytes(s1), bytes(e1))).isEqualTo(expected);
  }

  @Test
  void hexIsUpperCase() {
    assertThat(KeyOrder.hex(key("a\\xFF"))).isEqualTo("61FF");
    assertThat(KeyOrder.hex(key(""))).isEmpty();
  }
}
