package dev.jpd.core.statistics;

import static dev.jpd.core.statistics.RegionStatisticType.DOWN_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.MISS_PEER;
import static dev.jpd.core.statistics.RegionStatisticType.PENDING_PEER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RegionStatisticsTest {
  @Test
  void observeMovesARegionBetweenTypes() {
    RegionStatistics s = new RegionStatistics();
    s.observe(7, Set.of(MISS_PEER, DOWN_PEER));
    s.observe(8, Set.of(MISS_PEER));
    assertThat(s.count(MISS_PEER)).isEqualTo(2);
    assertThat(s.regionIds(MISS_PEER)).containsExactly(7L, 8L);
    assertThat(s.count(DOWN_PEER)).isEqualTo(1);

    s.observe(7, Set.of(PENDING_PEER));
    assertThat(s.regionIds(MISS_PEER)).containsExactly(8L);
    assertThat(s.count(DOWN_PEER)).isZero();
    assertThat(s.typesOf(7)).containsExactly(PENDING_PEER);

    s.observe(8, Set.of());
    s.remove(7);
    for (RegionStatisticType t : RegionStatisticType.values()) {
      assertThat(s.count(t)).as(t.name()).isZero();
    }
    assertThat(s.trackedRegions()).isZero();
    assertThat(s.typesOf(7)).isEmpty();
  }

  @Test
  void concurrentUpdatesOfOneRegionKeepBothIndexesInStep() throws Exception {
    RegionStatistics s = new RegionStatistics();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            long region = i % 5;
            s.observe(region, (i + seed) % 2 == 0 ? Set.of(MISS_PEER) : Set.of(DOWN_PEER));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (long region = 0; region < 5; region++) {
      Set<RegionStatisticType> types = s.typesOf(region);
      assertThat(types).hasSize(1);
      for (RegionStatisticType t : RegionStatisticType.values()) {
        assertThat(s.regionIds(t).contains(region)).as(region + " in " + t).isEqualTo(types.contains(t));
      }
    }
    assertThat(s.count(MISS_PEER) + s.count(DOWN_PEER)).isEqualTo(5);
  }
}
