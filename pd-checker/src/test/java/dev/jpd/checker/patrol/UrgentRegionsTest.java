package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UrgentRegionsTest {

  @Test
  void firstInFirstOutEachRegionOnceUntilTaken() {
    UrgentRegions u = new UrgentRegions();
    u.add(3);
    u.addAll(new long[] {1, 3, 2, 1});
    assertThat(u.size()).isEqualTo(3);
    assertThat(u.take(2)).containsExactly(3L, 1L);
    u.add(3); // taken, so it queues again, behind 2
    assertThat(u.take(10)).containsExactly(2L, 3L);
    assertThat(u.take(10)).isEmpty();
    u.addAll(new long[] {7, 8});
    u.clear();
    assertThat(u.size()).isZero();
    u.add(7);
    assertThat(u.take(10)).containsExactly(7L);
  }

  @Test
  void concurrentWritersLoseNoRegionAndDuplicateNone() throws Exception {
    UrgentRegions u = new UrgentRegions();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(pool.submit(() -> {
          for (long id = 0; id < 50_000; id++) {
            u.add(id); // every writer reports every region
          }
        }));
      }
      Set<Long> seen = new HashSet<>();
      int taken = 0;
      while (writers.stream().anyMatch(f -> !f.isDone()) || u.size() > 0) {
        for (long id : u.take(1000)) {
          seen.add(id);
          taken++;
        }
      }
      for (Future<?> f : writers) {
        f.get();
      }
      assertThat(seen).hasSize(50_000);
      // a region re-reported after it was taken may come back, never twice while queued
      assertThat(taken).isBetween(50_000, 4 * 50_000);
      assertThat(u.take(10)).isEmpty();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
