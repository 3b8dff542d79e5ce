package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.region.RegionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock-light paths under real threads: ends are single, limits hold. */
@Timeout(60)
class OperatorControllerConcurrencyTest {
  static final int THREADS = 8;
  Harness h;
  ExecutorService pool;

  @BeforeEach
  void setUp() {
    h = new Harness();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  /** Runs the task on every thread at once (released by one latch) and waits for all. */
  <T> List<T> together(Callable<T> task) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> fs = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        return task.call();
      }));
    }
    go.countDown();
    List<T> out = new ArrayList<>();
    for (Future<T> f : fs) {
      out.add(f.get());
    }
    return out;
  }

  @Test
  void heartbeatsRacingOnAFinishedRegionEndItsOperatorOnce() throws Exception {
    int rounds = 200;
    for (int i = 0; i < rounds; i++) {
      h.cluster.put(FakeCluster.Rg.of(1).leader(1));
      Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
      assertThat(h.oc.add(op).accepted()).isTrue();
      RegionInfo moved = FakeCluster.Rg.of(1).leader(2).build();
      h.cluster.put(FakeCluster.Rg.of(1).leader(2));
      together(() -> {
        h.oc.dispatch(moved, Operators.DispatchSource.HEARTBEAT);
        return null;
      });
      assertThat(op.status()).isEqualTo(OpStatus.SUCCESS);
    }
    assertThat(h.events("transfer-hot-read-leader", "finish")).isEqualTo(rounds);
    assertThat(h.events("transfer-hot-read-leader", "remove")).isEqualTo(rounds);
    assertThat(h.oc.count(OpKind.LEADER)).isZero();
    assertThat(h.oc.running()).isEmpty();
  }

  @Test
  void concurrentAddsNeverPassTheScheduleLimitTogether() throws Exception {
    for (long id = 1; id <= THREADS * 10; id++) {
      h.cluster.addLeaderRegion(id, 1, 2, 3);
    }
    for (int round = 0; round < 10; round++) {
      long base = round * THREADS;
      int[] next = {0};
      List<Boolean> accepted = together(() -> {
        long id;
        synchronized (next) {
          id = base + ++next[0];
        }
        return h.oc.add(h.transferLeader(id, 1, 2, Priority.MEDIUM)).accepted();
      });
      assertThat(accepted.stream().filter(a -> a).count()).as("round %d", round).isEqualTo(4);
      assertThat(h.oc.count(OpKind.LEADER)).isEqualTo(4);
      h.oc.removeAll(dev.jpd.core.operator.CancelReason.ADMIN_STOP);
      assertThat(h.oc.count(OpKind.LEADER)).isZero();
    }
  }
}
