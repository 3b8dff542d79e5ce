package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatTriageTest {

  /** Expected decision; {@code stale} is the whole reason or null, events are substrings. */
  record Expect(
      String stale,
      boolean saveKv,
      boolean saveCache,
      boolean statsOnly,
      boolean isNew,
      List<String> events) {}

  /** One row: cached region (or null), overlapping cached regions, the report, the decision. */
  record Row(RegionInfo cached, List<RegionInfo> overlaps, RegionInfo reported, Expect expect) {}

  private static Expect stale(String reason) {
    return new Expect(reason, false, false, false, false, List.of());
  }

  private static Expect decide(
      boolean saveKv, boolean saveCache, boolean statsOnly, boolean isNew, String... events) {
    return new Expect(null, saveKv, saveCache, statsOnly, isNew, Arrays.asList(events));
  }

  private static Hb r5() {
    return Hb.of(5, "b", "d").epoch(4, 4).stores(1, 2, 3).leader(1);
  }

  private static Arguments row(
      String name, Hb cached, List<Hb> overlaps, Hb reported, Expect expect) {
    RegionInfo c = cached == null ? null : cached.info();
    List<RegionInfo> o = overlaps.stream().map(Hb::info).toList();
    return Arguments.of(Named.of(name, new Row(c, o, reported.info(), expect)));
  }

  private static Arguments row(String name, Hb cached, Hb reported, Expect expect) {
    return row(name, cached, List.of(), reported, expect);
  }

  static Stream<Arguments> rows() {
    return Stream.concat(newAndStaleRows(), acceptedRows());
  }

  static Stream<Arguments> newAndStaleRows() {
    return Stream.of(
        // --- new regions
        row("new region, nothing overlaps", null, r5(), decide(true, true, false, true)),
        row("new region, overlap with lower version", null,
            List.of(Hb.of(7, "a", "c").ver(3)), r5(), decide(true, true, false, true)),
        row("new region, overlap with equal version", null,
            List.of(Hb.of(7, "a", "c").ver(4)), r5(), decide(true, true, false, true)),
        row("new region, overlap with greater version is stale", null,
            List.of(Hb.of(7, "a", "c").ver(3), Hb.of(8, "c", "e").ver(6)), r5(),
            stale("region 5 is stale: reported version 4 < version 6 of overlapping region 8")),
        row("overlap with the reported id itself is ignored", null,
            List.of(Hb.of(5, "a", "e").ver(9)), r5(), decide(true, true, false, true)),
        row("unsafe-recovery region (1/1, not whole key space) is never stale", null,
            List.of(Hb.of(7, "a", "c").ver(6)), Hb.of(5, "b", "d").epoch(1, 1),
            decide(true, true, false, true)),
        row("whole-key-space 1/1 region gets no exemption", null,
            List.of(Hb.of(7, "a", "c").ver(6)), Hb.of(5, "", "").epoch(1, 1),
            stale("region 5 is stale: reported version 1 < version 6 of overlapping region 7")),
        // --- stale against the cached region
        row("version behind cached is stale", r5(), r5().ver(3),
            stale("region 5 is stale: reported version 3 < cached version 4")),
        row("conf_ver behind cached is stale", r5(), r5().ver(5).confVer(3),
            stale("region 5 is stale: reported conf_ver 3 < cached conf_ver 4")),
        row("term behind cached is stale", r5().term(7), r5().term(6),
            stale("region 5 is stale: reported term 6 < cached term 7")),
        row("term 0 (not reported) is never behind", r5().term(7), r5().term(0),
            decide(false, false, true, false)),
        row("range changed and an overlap is newer: stale", r5(),
            List.of(Hb.of(8, "d", "f").ver(9)), r5().ver(5).range("b", "e"),
            stale("region 5 is stale: reported version 5 < version 9 of overlapping region 8")),
        row("unsafe-recovery region behind the cached one is accepted", r5(),
            Hb.of(5, "b", "d").epoch(1, 1),
            decide(true, true, false, false)));
  }

  static Stream<Arguments> acceptedRows() {
    return Stream.of(
        // --- only statistics
        row("identical report: stats only, nothing to save", r5(), r5(),
            decide(false, false, true, false)),
        row("down peer now: save cache", r5(), r5().down(3), decide(false, true, true, false)),
        row("pending peer now: save cache", r5(), r5().pending(2),
            decide(false, true, true, false)),
        row("down peer before, none now: save cache", r5().down(3), r5(),
            decide(false, true, true, false)),
        row("pending peer before, none now: save cache", r5().pending(2), r5(),
            decide(false, true, true, false)),
        row("approximate size changed", r5().sizeMiB(10), r5().sizeMiB(11),
            decide(false, true, true, false)),
        row("approximate keys changed", r5().keys(100), r5().keys(101),
            decide(false, true, true, false)),
        row("written bytes changed past rounding", r5().written(1000), r5().written(2000),
            decide(false, true, true, false)),
        row("written bytes changed within rounding", r5().written(1000), r5().written(1400),
            decide(false, false, true, false)),
        row("read bytes changed past rounding", r5().read(0), r5().read(500),
            decide(false, true, true, false)),
        row("read bytes changed within rounding", r5().read(0), r5().read(499),
            decide(false, false, true, false)),
        // --- structural
        row("version up (split): save kv", r5(), r5().ver(5).range("c", "d"),
            decide(true, true, false, false,
                "region Version changed region-id=5 old-version=4 new-version=5",
                "key range [62, 64) -> [63, 64)")),
        row("conf_ver up with a peer added: save kv", r5(), r5().confVer(5).stores(1, 2, 3, 4),
            decide(true, true, false, false,
                "region ConfVer changed region-id=5 old-confver=4 new-confver=5",
                "peers [501@1, 502@2, 503@3] -> [501@1, 502@2, 503@3, 504@4]")),
        row("conf_ver up, peer replaced, same count: save kv", r5(),
            r5().confVer(5).stores(1, 2, 4), decide(true, true, false, false, "ConfVer changed")),
        row("peer count changed without conf_ver: save kv", r5(), r5().stores(1, 2),
            decide(true, true, false, false)),
        row("learner promoted without conf_ver (same count): cache only",
            r5().stores(1, 2).learners(3), r5(), decide(false, true, false, false)),
        row("key range changed without version: trusted, save kv", r5(), r5().range("b", "c"),
            decide(true, true, false, false)),
        row("leader changed: cache only", r5(), r5().leader(2),
            decide(false, true, false, false, "leader changed region-id=5 from=1 to=2")),
        row("version and conf_ver and leader all up: three events", r5(),
            r5().epoch(5, 5).leader(3).range("b", "c"),
            decide(true, true, false, false, "region Version changed", "region ConfVer changed",
                "leader changed region-id=5 from=1 to=3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void triage(Row row) {
    HeartbeatTriage.Decision d =
        HeartbeatTriage.triage(row.cached(), row.overlaps(), row.reported());
    Expect e = row.expect();
    assertThat(d.staleReason()).isEqualTo(e.stale());
    assertThat(d.stale()).isEqualTo(e.stale() != null);
    assertThat(d.saveKv()).as("saveKv").isEqualTo(e.saveKv());
    assertThat(d.saveCache()).as("saveCache").isEqualTo(e.saveCache());
    assertThat(d.statsOnly()).as("statsOnly").isEqualTo(e.statsOnly());
    assertThat(d.isNew()).as("isNew").isEqualTo(e.isNew());
    assertThat(d.events()).as("events").hasSize(eventCount(e));
    for (int i = 0; i < e.events().size(); i++) {
      assertThat(String.join("\n", d.events())).contains(e.events().get(i));
    }
  }

  /** Expected events name distinct events, except "detail" substrings of an earlier one. */
  private static int eventCount(Expect e) {
    return (int)
        e.events().stream()
            .filter(s -> !s.startsWith("key range") && !s.startsWith("peers"))
            .count();
  }

  @Test
  void regionLoadedFromStorageBecomesNewWhenItsLeaderReports() {
    RegionInfo cached = r5().stored();
    HeartbeatTriage.Decision d = HeartbeatTriage.triage(cached, List.of(), r5().info());
    assertThat(d.isNew()).isTrue();
    assertThat(d.statsOnly()).isFalse();
    assertThat(d.saveCache()).isTrue();
    assertThat(d.saveKv()).isFalse();
    assertThat(d.events()).as("no 'leader changed' from an unknown leader").isEmpty();
  }

  @Test
  void flowRoundingIsHalfUpAndUnsigned() {
    assertThat(HeartbeatTriage.roundFlow(0)).isZero();
    assertThat(HeartbeatTriage.roundFlow(499)).isZero();
    assertThat(HeartbeatTriage.roundFlow(500)).isEqualTo(1000);
    assertThat(HeartbeatTriage.roundFlow(1499)).isEqualTo(1000);
    assertThat(Long.compareUnsigned(HeartbeatTriage.roundFlow(Long.MIN_VALUE), 0)).isPositive();
  }
}
