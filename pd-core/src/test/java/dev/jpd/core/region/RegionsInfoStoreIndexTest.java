package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-store indexes (leader, follower, learner, pending) as a scenario table: after every step
 * they must equal a brute-force recomputation ({@link StoreIndexOracle}), and the final state is
 * spelled out per store as {@code s<store> L<leader ids> F<follower ids> Ln<learner ids> P<pending
 * ids>} (empty lists left out).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegionsInfoStoreIndexTest {
  private static final Set<Long> STORES = Set.of(1L, 2L, 3L, 4L, 5L, 6L);

  record Step(String what, Consumer<RegionsInfo> action) {
    @Override
    public String toString() {
      return what;
    }
  }

  private static Step hb(Hb hb) {
    return new Step("heartbeat " + hb, c -> c.handleHeartbeat(hb.info()));
  }

  private static Step put(Hb hb) {
    return new Step("put stored " + hb, c -> c.putRegion(hb.stored()));
  }

  private static Step remove(long id) {
    return new Step("remove " + id, c -> c.removeRegion(id));
  }

  private static Arguments scenario(String name, String expected, Step... steps) {
    return Arguments.of(Named.of(name, List.of(steps)), expected);
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        scenario("one region, leader on store 1", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).leader(1))),
        scenario("leader change moves the region between leader and follower sets",
            "s1 F1 | s2 L1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).leader(1)),
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).leader(2))),
        scenario("peer added", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2)),
            hb(Hb.of(1, "a", "m").confVer(11).stores(1, 2, 3))),
        scenario("peer removed", "s1 L1 | s2 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3)),
            hb(Hb.of(1, "a", "m").confVer(11).stores(1, 2))),
        scenario("learner added, then promoted", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2)),
            hb(Hb.of(1, "a", "m").confVer(11).stores(1, 2).learners(3)),
            hb(Hb.of(1, "a", "m").confVer(12).stores(1, 2, 3))),
        scenario("learner stays a learner", "s1 L1 | s2 F1 | s4 Ln1",
            hb(Hb.of(1, "a", "m").stores(1, 2).learners(4))),
        scenario("pending peer set (statistics-only heartbeat)", "s1 L1 | s2 F1 | s3 F1 P1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3)),
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).pending(3))),
        scenario("pending peer cleared", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).pending(3)),
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).pending(2, 3)),
            hb(Hb.of(1, "a", "m").stores(1, 2, 3))),
        scenario("pending learner", "s1 L1 | s2 F1 | s3 Ln1 P1",
            hb(Hb.of(1, "a", "m").stores(1, 2).learners(3).pending(3))),
        scenario("split: parent shrinks, child appears with its own leader",
            "s1 L1 F2 | s2 L2 F1 | s3 F1,2",
            hb(Hb.of(1, "", "").stores(1, 2, 3).leader(1)),
            hb(Hb.of(2, "", "m").ver(11).stores(1, 2, 3).leader(2)),
            hb(Hb.of(1, "m", "").ver(11).stores(1, 2, 3).leader(1))),
        scenario("merge removes the source region from every store", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3)),
            hb(Hb.of(2, "m", "z").stores(4, 5, 6).leader(5).pending(6)),
            hb(Hb.of(1, "a", "z").ver(11).stores(1, 2, 3))),
        scenario("a newer overlapping region removes every older one", "s4 L9 | s5 F9",
            hb(Hb.of(1, "a", "c").stores(1, 2, 3)),
            hb(Hb.of(2, "c", "e").stores(1, 2).learners(3)),
            hb(Hb.of(9, "b", "f").ver(12).stores(4, 5).leader(4))),
        scenario("stale report leaves the indexes alone", "s1 L1 | s2 F1 | s3 F1",
            hb(Hb.of(1, "a", "m").ver(12).stores(1, 2, 3).leader(1)),
            hb(Hb.of(1, "a", "m").ver(11).stores(1, 2, 4).leader(4))),
        scenario("stored region has no leader until its first heartbeat", "s1 F1 | s2 L1",
            put(Hb.of(1, "a", "m").stores(1, 2)),
            hb(Hb.of(1, "a", "m").stores(1, 2).leader(2))),
        scenario("stored region without leader: followers only", "s1 F1 | s2 F1",
            put(Hb.of(1, "a", "m").stores(1, 2))),
        scenario("putRegion replaces overlaps", "s3 F5 | s4 F5",
            hb(Hb.of(1, "a", "m").stores(1, 2)),
            put(Hb.of(5, "", "").stores(3, 4))),
        scenario("removeRegion empties the stores", "s1 L2 | s2 F2",
            hb(Hb.of(1, "a", "m").stores(1, 2, 3).pending(3)),
            hb(Hb.of(2, "m", "z").stores(1, 2)),
            remove(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(List<Step> steps, String expected) {
    RegionsInfo cache = new RegionsInfo();
    for (Step step : steps) {
      step.action().accept(cache);
      assertThat(StoreIndexOracle.check(cache, STORES, true)).as("after %s", step).isEmpty();
      assertThat(cache.checkInvariants()).isEmpty();
    }
    assertThat(describe(cache)).isEqualTo(expected);
  }

  /** The indexes of stores 1 to 6 in the table's notation. */
  static String describe(RegionsInfo cache) {
    List<String> parts = new ArrayList<>();
    for (long s = 1; s <= 6; s++) {
      String line = "s" + s + ids(" L", cache.leaderRegionIds(s))
          + ids(" F", cache.followerRegionIds(s)) + ids(" Ln", cache.learnerRegionIds(s))
          + ids(" P", cache.pendingRegionIds(s));
      if (!line.equals("s" + s)) {
        parts.add(line);
      }
    }
    return String.join(" | ", parts);
  }

  private static String ids(String label, long[] ids) {
    if (ids.length == 0) {
      return "";
    }
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    StringBuilder sb = new StringBuilder(label);
    for (int i = 0; i < sorted.length; i++) {
      sb.append(i == 0 ? "" : ",").append(sorted[i]);
    }
    return sb.toString();
  }

  @Test
  void sizesFollowStatisticsOnlyHeartbeats() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "m").stores(1, 2, 3).leader(1).sizeMiB(10).info());
    cache.handleHeartbeat(Hb.of(2, "m", "z").stores(1, 2).leader(2).sizeMiB(5).info());
    HeartbeatResult r =
        cache.handleHeartbeat(Hb.of(1, "a", "m").stores(1, 2, 3).leader(1).sizeMiB(30).info());
    assertThat(r.decision().statsOnly()).isTrue();
    assertThat(cache.regionSize(1)).isEqualTo(35);
    assertThat(cache.regionSize(3)).isEqualTo(30);
    assertThat(cache.leaderSize(1)).isEqualTo(30);
    assertThat(cache.leaderSize(2)).isEqualTo(5);
    assertThat(cache.followerCount(2)).isEqualTo(1);
    assertThat(cache.learnerCount(2)).isZero();
    assertThat(StoreIndexOracle.check(cache, STORES, true)).isEmpty();
  }

  @Test
  void statisticsOnlyHeartbeatSharesTheCachedArrays() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "m").info());
    RegionInfo first = cache.getRegion(1);
    cache.handleHeartbeat(Hb.of(1, "a", "m").written(5000).info());
    RegionInfo second = cache.getRegion(1);
    assertThat(second).isNotSameAs(first);
    assertThat(second.startKeyBytes()).isSameAs(first.startKeyBytes());
    assertThat(second.endKeyBytes()).isSameAs(first.endKeyBytes());
  }

  @Test
  void randomPicksComeFromTheStore() {
    RegionsInfo cache = new RegionsInfo();
    for (int i = 0; i < 50; i++) {
      cache.handleHeartbeat(Hb.of(i + 1, String.format("k%03d", i), String.format("k%03d", i + 1))
          .stores(1, 2, 3).leader(i % 2 == 0 ? 1 : 2).info());
    }
    Random rnd = new Random(5);
    for (int i = 0; i < 200; i++) {
      assertThat(cache.randomLeaderRegion(1, rnd).leaderStoreId()).isEqualTo(1);
      assertThat(cache.randomFollowerRegion(1, rnd).leaderStoreId()).isEqualTo(2);
    }
    assertThat(cache.randomLearnerRegion(1, rnd)).isNull();
    assertThat(cache.randomPendingRegion(9, rnd)).isNull();
    assertThat(cache.leaderRegions(1)).hasSize(25).allMatch(r -> r.leaderStoreId() == 1);
  }

  @Test
  void longScansCrossChunksInOrder() {
    RegionsInfo cache = new RegionsInfo();
    int n = RegionsInfo.SCAN_CHUNK * 3 + 7;
    for (int i = 0; i < n; i++) {
      String start = i == 0 ? "" : String.format("k%05d", i);
      String end = i == n - 1 ? "" : String.format("k%05d", i + 1);
      cache.handleHeartbeat(Hb.of(i + 1, start, end).info());
    }
    // Region i (id i + 1) is [k<i>, k<i + 1>).
    List<RegionInfo> all = cache.all();
    assertThat(all).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(all.get(i).id()).isEqualTo(i + 1);
    }
    assertThat(cache.scanRegions(Hb.bytes("k00100"), new byte[0], RegionsInfo.SCAN_CHUNK + 1))
        .extracting(RegionInfo::id).hasSize(RegionsInfo.SCAN_CHUNK + 1).startsWith(101L)
        .endsWith(101L + RegionsInfo.SCAN_CHUNK);
    assertThat(cache.scanRegions(Hb.bytes("k00010"), Hb.bytes("k01200"), 0))
        .hasSize(1200 - 10);
  }
}
