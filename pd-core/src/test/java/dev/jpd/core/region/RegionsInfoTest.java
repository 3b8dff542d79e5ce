package dev.jpd.core.region;

import static dev.jpd.core.region.Hb.layout;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegionsInfoTest {

  /** One heartbeat and what it must do: rejected as stale, or accepted removing these ids. */
  record Step(Hb hb, boolean stale, List<Long> removed) {
    @Override
    public String toString() {
      return hb + (stale ? " stale" : " removes " + removed);
    }
  }

  private static Step ok(Hb hb, Long... removed) {
    return new Step(hb, false, Arrays.asList(removed));
  }

  private static Step stale(Hb hb) {
    return new Step(hb, true, List.of());
  }

  private static Arguments scenario(String name, String layout, Step... steps) {
    return Arguments.of(Named.of(name, List.of(steps)), layout);
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        scenario("insert one region", "1[,)v2", ok(Hb.of(1, "", "").ver(2))),
        scenario("adjacent regions inserted out of order", "1[,b)v2 2[b,d)v2 3[d,)v2",
            ok(Hb.of(3, "d", "").ver(2)), ok(Hb.of(1, "", "b").ver(2)),
            ok(Hb.of(2, "b", "d").ver(2))),
        scenario("stale version is rejected and the cache kept", "1[a,z)v5",
            ok(Hb.of(1, "a", "z").ver(5)), stale(Hb.of(1, "a", "m").ver(4))),
        scenario("stale conf_ver is rejected and the cache kept", "1[a,z)v5",
            ok(Hb.of(1, "a", "z").epoch(5, 7)),
            stale(Hb.of(1, "a", "z").epoch(5, 6).stores(1, 2))),
        scenario("split, new left half first: the parent is removed", "2[,m)v3 1[m,)v3",
            ok(Hb.of(1, "", "").ver(2)),
            ok(Hb.of(2, "", "m").ver(3), 1L),
            ok(Hb.of(1, "m", "").ver(3))),
        scenario("split, parent shrinks to the right half first", "2[,m)v3 1[m,)v3",
            ok(Hb.of(1, "", "").ver(2)),
            ok(Hb.of(1, "m", "").ver(3)),
            ok(Hb.of(2, "", "m").ver(3))),
        scenario("split, then a late heartbeat of the parent is stale", "2[,m)v3 1[m,)v3",
            ok(Hb.of(1, "", "").ver(2)),
            ok(Hb.of(1, "m", "").ver(3)),
            ok(Hb.of(2, "", "m").ver(3)),
            stale(Hb.of(1, "", "").ver(2))),
        scenario("split left-derived, late parent heartbeat hits the newer right half",
            "1[,m)v3 2[m,)v3",
            ok(Hb.of(1, "", "").ver(2)),
            ok(Hb.of(2, "m", "").ver(3), 1L),
            stale(Hb.of(1, "", "").ver(2)),
            ok(Hb.of(1, "", "m").ver(3))),
        scenario("merge: the bigger region with a higher version removes both", "1[a,z)v6",
            ok(Hb.of(1, "a", "m").ver(4)),
            ok(Hb.of(2, "m", "z").ver(5)),
            ok(Hb.of(1, "a", "z").ver(6), 2L),
            stale(Hb.of(2, "m", "z").ver(5))),
        scenario("newer overlapping region removes every older one it touches", "9[b,f)v5",
            ok(Hb.of(1, "a", "c").ver(2)), ok(Hb.of(2, "c", "e").ver(2)),
            ok(Hb.of(3, "e", "g").ver(2)),
            ok(Hb.of(9, "b", "f").ver(5), 1L, 2L, 3L)),
        scenario("overlapping region with an older version is stale", "1[a,c)v7 2[c,e)v2",
            ok(Hb.of(1, "a", "c").ver(7)), ok(Hb.of(2, "c", "e").ver(2)),
            stale(Hb.of(9, "b", "d").ver(5))),
        scenario("keys >= 0x80 sort after 0x7f (unsigned)",
            "1[,\\x7F)v2 2[\\x7F,\\x80)v2 3[\\x80,\\xFF)v2 4[\\xFF,)v2",
            ok(Hb.of(4, "\\xFF", "").ver(2)), ok(Hb.of(3, "\\x80", "\\xFF").ver(2)),
            ok(Hb.of(2, "\\x7F", "\\x80").ver(2)), ok(Hb.of(1, "", "\\x7F").ver(2))),
        scenario("a region with an empty end key swallows everything after it", "1[a,)v4",
            ok(Hb.of(2, "c", "d").ver(2)), ok(Hb.of(3, "\\xF0", "").ver(2)),
            ok(Hb.of(1, "a", "").ver(4), 2L, 3L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(List<Step> steps, String expectedLayout) {
    RegionsInfo cache = new RegionsInfo();
    for (Step step : steps) {
      List<String> before = List.of(layout(cache.all()));
      HeartbeatResult result = cache.handleHeartbeat(step.hb().info());
      assertThat(result.stale()).as("stale: %s", step).isEqualTo(step.stale());
      assertThat(result.overlaps()).extracting(RegionInfo::id)
          .as("removed by %s", step).containsExactlyElementsOf(step.removed());
      if (step.stale()) {
        assertThat(layout(cache.all())).as("cache untouched by %s", step).isEqualTo(before.get(0));
      }
      assertThat(cache.checkInvariants()).isEmpty();
    }
    assertThat(layout(cache.all())).isEqualTo(expectedLayout);
    assertThat(cache.size()).isEqualTo(cache.all().size());
  }

  /** [,b)=1 [b,d)=2 hole [d,f) [f,\x80)=4 [\x80,)=5. */
  private static RegionsInfo withHole() {
    RegionsInfo cache = new RegionsInfo();
    cache.putRegion(Hb.of(1, "", "b").info());
    cache.putRegion(Hb.of(2, "b", "d").info());
    cache.putRegion(Hb.of(4, "f", "\\x80").info());
    cache.putRegion(Hb.of(5, "\\x80", "").info());
    return cache;
  }

  @ParameterizedTest(name = "key {0} -> region {1}")
  @CsvSource({
    "'', 1", "a, 1", "a\\xFF\\xFF, 1", "b, 2", "c\\xFF, 2", "d, 0", "e\\xFF, 0",
    "f, 4", "\\x7F\\xFF, 4", "\\x80, 5", "\\xFF\\xFF\\xFF, 5",
  })
  void getRegionByKey(String key, long expectedId) {
    RegionInfo found = withHole().getRegionByKey(Hb.bytes(key));
    assertThat(found == null ? 0 : found.id()).isEqualTo(expectedId);
  }

  @ParameterizedTest(name = "prev of key {0} -> region {1}")
  @CsvSource({
    "'', 0", "a, 0", "b, 1", "c, 1", "d, 0", "e, 0", "f, 0", "\\x7F, 0", "\\x80, 4", "\\xFF, 4",
  })
  void getPrevRegion(String key, long expectedId) {
    RegionInfo found = withHole().getPrevRegion(Hb.bytes(key));
    assertThat(found == null ? 0 : found.id()).isEqualTo(expectedId);
  }

  @ParameterizedTest(name = "neighbours of region {0} -> {1} and {2}")
  @CsvSource({"1, 0, 2", "2, 1, 4", "4, 2, 5", "5, 4, 0"})
  void getAdjacentRegionsListsTreeNeighboursAcrossHoles(long id, long prev, long next) {
    RegionsInfo cache = withHole();
    RegionsInfo.Adjacent a = cache.getAdjacentRegions(cache.getRegion(id));
    assertThat(a.prev() == null ? 0 : a.prev().id()).isEqualTo(prev);
    assertThat(a.next() == null ? 0 : a.next().id()).isEqualTo(next);
  }

  @ParameterizedTest(name = "scan [{0}, {1}) limit {2} -> {3}")
  @CsvSource({
    "'', '', 0, 1 2 4 5",
    "'', '', -1, 1 2 4 5",
    "a, '', 2, 1 2",
    "c, '', 0, 2 4 5",
    "d, '', 0, 4 5",
    "e, f, 0, ''",
    "e, f\\x00, 0, 4",
    "a, b, 0, 1",
    "a, b\\x00, 0, 1 2",
    "c, \\x80, 0, 2 4",
    "\\x90, '', 5, 5",
    "\\x90, \\xFF, 1, 5",
  })
  void scanRegions(String start, String end, int limit, String expectedIds) {
    List<RegionInfo> found = withHole().scanRegions(Hb.bytes(start), Hb.bytes(end), limit);
    List<String> ids = new ArrayList<>();
    found.forEach(r -> ids.add(Long.toString(r.id())));
    assertThat(String.join(" ", ids)).isEqualTo(expectedIds);
  }

  @Test
  void getOverlapsIncludesTheSameIdAndStopsAtTheEndKey() {
    RegionsInfo cache = withHole();
    assertThat(cache.getOverlaps(Hb.of(2, "a", "e").info())).extracting(RegionInfo::id)
        .containsExactly(1L, 2L);
    assertThat(cache.getOverlaps(Hb.of(9, "d", "f").info())).isEmpty();
    assertThat(cache.getOverlaps(Hb.of(9, "e", "").info())).extracting(RegionInfo::id)
        .containsExactly(4L, 5L);
  }

  @Test
  void removeRegionLeavesAHole() {
    RegionsInfo cache = withHole();
    cache.removeRegion(2);
    cache.removeRegion(99);
    assertThat(cache.getRegion(2)).isNull();
    assertThat(cache.getRegionByKey(Hb.bytes("c"))).isNull();
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.checkInvariants()).isEmpty();
  }

  @Test
  void putRegionReplacesOverlapsWithoutTriage() {
    RegionsInfo cache = withHole();
    List<RegionInfo> removed = cache.putRegion(Hb.of(2, "a", "g").ver(1).stored());
    assertThat(removed).extracting(RegionInfo::id).containsExactly(1L, 4L);
    assertThat(layout(cache.all())).isEqualTo("2[a,g)v1 5[\\x80,)v10");
    assertThat(cache.checkInvariants()).isEmpty();
  }

  @Test
  void statsOnlyHeartbeatReplacesTheSnapshot() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "b").sizeMiB(8).written(1000).info());
    HeartbeatResult r = cache.handleHeartbeat(Hb.of(1, "a", "b").sizeMiB(9).written(5000).info());
    assertThat(r.decision().statsOnly()).isTrue();
    assertThat(r.decision().saveCache()).isTrue();
    assertThat(r.origin().approximateSize()).isEqualTo(8);
    assertThat(cache.getRegion(1)).isSameAs(r.region());
    assertThat(cache.getRegionByKey(Hb.bytes("a")).writtenBytes()).isEqualTo(5000);
  }

  @Test
  void peersIdentityStaysWhileThePeersAreEqual() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "b").stores(1, 2, 3).sizeMiB(8).info());
    Object first = cache.getRegion(1).peersIdentity();
    cache.handleHeartbeat(Hb.of(1, "a", "b").stores(1, 2, 3).sizeMiB(9).written(7).info());
    assertThat(cache.getRegion(1).approximateSize()).isEqualTo(9);
    assertThat(cache.getRegion(1).peersIdentity()).as("a stats-only report").isSameAs(first);
    cache.handleHeartbeat(Hb.of(1, "a", "b").epoch(10, 11).stores(1, 2, 4).info());
    Object moved = cache.getRegion(1).peersIdentity();
    assertThat(moved).as("a peer moved").isNotSameAs(first);
    cache.handleHeartbeat(Hb.of(1, "a", "b").epoch(10, 12).stores(1, 2).learners(4).info());
    assertThat(cache.getRegion(1).peersIdentity()).as("a peer became a learner")
        .isNotSameAs(moved);
    RegionInfo r = cache.getRegion(1);
    assertThat(r.peerCount()).isEqualTo(r.peers().size());
    for (int i = 0; i < r.peerCount(); i++) {
      assertThat(r.peerId(i)).isEqualTo(r.peers().get(i).getId());
      assertThat(r.peerStoreId(i)).isEqualTo(r.peers().get(i).getStoreId());
      assertThat(r.peerIsLearner(i))
          .isEqualTo(r.peers().get(i).getRole() == dev.jpd.proto.Metapb.PeerRole.Learner);
    }
  }

  @Test
  void zeroReportedSizeKeepsTheCachedSize() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "b").sizeMiB(64).info());
    HeartbeatResult r = cache.handleHeartbeat(Hb.of(1, "a", "b").sizeBytes(0).info());
    assertThat(r.decision().saveCache()).as("size did not change").isFalse();
    assertThat(cache.getRegion(1).approximateSize()).isEqualTo(64);
    cache.handleHeartbeat(Hb.of(2, "b", "c").sizeBytes(0).info());
    assertThat(cache.getRegion(2).approximateSize()).as("new empty region").isEqualTo(1);
  }

  @Test
  void regionLoadedFromStorageIsNewOnItsFirstHeartbeat() {
    RegionsInfo cache = new RegionsInfo();
    cache.putRegion(Hb.of(1, "a", "b").stored());
    HeartbeatResult r = cache.handleHeartbeat(Hb.of(1, "a", "b").info());
    assertThat(r.decision().isNew()).isTrue();
    assertThat(r.decision().saveKv()).isFalse();
    assertThat(cache.getRegion(1).hasLeader()).isTrue();
    assertThat(cache.getRegion(1).loadedFromStorage()).isFalse();
  }

  @Test
  void statsOnlyHeartbeatsDoNotWaitForTheRangeWriteLock() throws Exception {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "m").info());
    cache.rangeWriteLock().lock();
    Future<HeartbeatResult> split;
    try {
      HeartbeatResult stats =
          CompletableFuture.supplyAsync(
                  () -> cache.handleHeartbeat(Hb.of(1, "a", "m").written(9000).info()))
              .get(10, TimeUnit.SECONDS);
      assertThat(stats.decision().statsOnly()).isTrue();
      split = CompletableFuture.supplyAsync(
          () -> cache.handleHeartbeat(Hb.of(1, "a", "f").ver(11).info()));
      Thread.sleep(100);
      assertThat(split.isDone()).as("a split waits for the write lock").isFalse();
    } finally {
      cache.rangeWriteLock().unlock();
    }
    assertThat(split.get(10, TimeUnit.SECONDS).decision().saveKv()).isTrue();
    assertThat(layout(cache.all())).isEqualTo("1[a,f)v11");
  }

  @Test
  void perStoreCounts() {
    RegionsInfo cache = new RegionsInfo();
    cache.handleHeartbeat(Hb.of(1, "a", "b").stores(1, 2, 3).leader(1).sizeMiB(10).info());
    cache.handleHeartbeat(Hb.of(2, "b", "c").stores(1, 2).learners(4).leader(2).sizeMiB(20)
        .pending(4).info());
    cache.handleHeartbeat(Hb.of(3, "c", "d").stores(2, 3).leader(2).sizeMiB(30).info());
    cache.putRegion(Hb.of(4, "d", "e").stores(1, 4).stored());
    assertThat(cache.regionCount(1)).isEqualTo(3);
    assertThat(cache.regionCount(2)).isEqualTo(3);
    assertThat(cache.regionCount(4)).isEqualTo(2);
    assertThat(cache.regionCount(9)).isZero();
    assertThat(cache.leaderCount(1)).isEqualTo(1);
    assertThat(cache.leaderCount(2)).isEqualTo(2);
    assertThat(cache.leaderCount(4)).as("stored regions have no leader").isZero();
    assertThat(cache.regionSize(2)).isEqualTo(60);
    assertThat(cache.leaderSize(2)).isEqualTo(50);
    assertThat(cache.pendingPeerCount(4)).isEqualTo(1);
    assertThat(cache.pendingPeerCount(1)).isZero();
  }
}
