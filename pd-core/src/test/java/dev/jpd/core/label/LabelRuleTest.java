package dev.jpd.core.label;

import dev.jpd.core.time.GoDuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class LabelRuleTest {
  static final List<RegionLabel> DENY = List.of(RegionLabel.of("schedule", "deny"));
  static final List<HexRange> ALL = List.of(new HexRange("", ""));

  static Stream<Arguments> badRules() {
    return Stream.of(
        Arguments.of("empty id", "", DENY, "key-range", ALL, "empty rule id"),
        Arguments.of("no labels", "r", List.of(), "key-range", ALL, "no region labels"),
        Arguments.of("empty key", "r", List.of(RegionLabel.of("", "v")), "key-range", ALL,
            "empty region label key"),
        Arguments.of("empty value", "r", List.of(RegionLabel.of("k", "")), "key-range", ALL,
            "empty region label value"),
        Arguments.of("bad ttl", "r", List.of(RegionLabel.of("k", "v", "ten minutes", "")),
            "key-range", ALL, "invalid ttl info"),
        Arguments.of("bad start_at", "r", List.of(RegionLabel.of("k", "v", "1h", "yesterday")),
            "key-range", ALL, "invalid ttl info"),
        Arguments.of("unknown type", "r", DENY, "key-list", ALL, "invalid rule type: \"key-list\""),
        Arguments.of("no ranges", "r", DENY, "key-range", List.of(), "no key ranges"),
        Arguments.of("odd hex", "r", DENY, "key-range", List.of(new HexRange("abc", "")),
            "invalid hex key \"abc\""),
        Arguments.of("not hex", "r", DENY, "key-range", List.of(new HexRange("", "zz")),
            "invalid hex key \"zz\""),
        Arguments.of("start = end", "r", DENY, "key-range", List.of(new HexRange("10", "10")),
            "endKey should be greater than startKey"),
        Arguments.of("start > end", "r", DENY, "key-range", List.of(new HexRange("20", "10")),
            "endKey should be greater than startKey"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRules")
  void badRulesAreRefusedNamingTheProblem(
      String name, String id, List<RegionLabel> labels, String type, List<HexRange> data, String msg) {
    assertThatThrownBy(() -> LabelRule.create(id, 0, labels, type, data))
        .isInstanceOf(LabelRuleException.class)
        .hasMessageContaining(msg);
  }

  @Test
  void hexInEitherCaseAndAnOpenEnd() {
    LabelRule r = LabelRule.create("r", 3, DENY, "key-range",
        List.of(new HexRange("7480000000000000FF", "7480000000000000ff0A"), new HexRange("aa", "")));
    assertThat(r.rangeStart(0)).containsExactly(0x74, 0x80, 0, 0, 0, 0, 0, 0, 0xff);
    assertThat(r.rangeEnd(1)).isEmpty();
    assertThat(r.data().get(0).startKey()).isEqualTo("7480000000000000FF");
  }

  @Test
  void aTtlLabelIsStampedOnceAndExpiresAfterItsTtl() {
    Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
    LabelRule r = LabelRule.create("r", 0,
        List.of(RegionLabel.of("a", "1", "10m", ""), RegionLabel.of("b", "2")), "key-range", ALL);
    LabelRule s = r.stamped(t0);
    assertThat(s.labels().get(0).startAt()).isEqualTo("Fri Jan  2 03:04:05 UTC 2026");
    assertThat(s.labels().get(0).expireAt()).isEqualTo(t0.plus(Duration.ofMinutes(10)));
    assertThat(s.stamped(t0.plusSeconds(99))).isSameAs(s);
    assertThat(s.withoutExpired(t0.plus(Duration.ofMinutes(10)))).isSameAs(s);
    LabelRule later = s.withoutExpired(t0.plus(Duration.ofMinutes(10)).plusMillis(1));
    assertThat(later.labels()).extracting(RegionLabel::key).containsExactly("b");
  }

  @Test
  void aStartAtReadBackGivesTheSameExpiry() {
    LabelRule r = LabelRule.create("r", 0,
        List.of(RegionLabel.of("a", "1", "1h30m", "Fri Jan  2 03:04:05 UTC 2026")), "key-range", ALL);
    assertThat(r.labels().get(0).expireAt()).isEqualTo(Instant.parse("2026-01-02T04:34:05Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h30m=5400000", "1.5s=1500", "-10m=-600000", "0=0", "250ms=250", "2h0m0s=7200000"})
  void goDurations(String c) {
    String[] p = c.split("=");
    assertThat(GoDuration.parse(p[0]).toMillis()).isEqualTo(Long.parseLong(p[1]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "1d", "m", "1.2.3s", "-"})
  void badGoDurations(String s) {
    assertThatThrownBy(() -> GoDuration.parse(s)).isInstanceOf(IllegalArgumentException.class);
  }
}
