package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.FakeCluster;
import dev.jpd.checker.ManualScheduler;
import dev.jpd.checker.RecordingOperators;
import dev.jpd.core.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code patrol-region-worker-count} above 1: batches are checked on several threads and applied
 * in order on the patrol thread, with the same outcome as one worker.
 */
@Timeout(30)
class PatrolWorkersTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(3);
  private final AtomicInteger poolTasks = new AtomicInteger();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  /** A cluster: stores 1..4, regions 1..n with two peers each (make-up-replica wanted). */
  private static FakeCluster missingReplicas(int n, int workers) {
    FakeCluster fc = new FakeCluster();
    fc.addStores(1, 2, 3, 4);
    for (long id = 1; id <= n; id++) {
      fc.addLeaderRegion(id, 1, 2);
    }
    fc.config(b -> b.patrolRegionWorkerCount(workers));
    return fc;
  }

  private final class Run {
    final FakeCluster fc;
    final RecordingOperators ops = new RecordingOperators();
    final ManualScheduler executor;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PatrolService patrol;

    Run(FakeCluster fc) {
      this.fc = fc;
      executor = new ManualScheduler(fc.clock);
      CheckerMetrics metrics = new CheckerMetrics(registry);
      CheckerChain chain = CheckerChain.standard(fc.view, ops, metrics.events());
      patrol = new PatrolService(chain, fc.view, ops, executor, () -> true, metrics, r -> {
        poolTasks.incrementAndGet();
        pool.execute(r);
      });
    }

    double patrolCount(String name) {
      return registry.get("pd_checker_event_count").tag("type", "patrol").tag("name", name)
          .counter().count();
    }

    /** Each operator as region, description and target stores (peer ids depend on timing). */
    Set<String> plans() {
      Set<String> out = new TreeSet<>();
      for (Operator op : ops.added()) {
        out.add(op.regionId() + " " + op.desc() + " " + op.brief());
      }
      return out;
    }
  }

  @Test
  void theScheduleLimitHoldsWhenChecksRunSideBySide() {
    Run run = new Run(missingReplicas(300, 2));
    run.patrol.start();
    run.executor.runFor(Duration.ofMillis(10));
    // one tick: a batch of 128 in two slices, every check saw 0 operators running; the limit is
    // asked again as each result is applied
    assertThat(run.ops.added()).hasSize(64);
    assertThat(run.patrolCount("operator-limit")).isEqualTo(64);
    assertThat(run.patrol.pendingRegionIds()).hasSize(64);
    assertThat(poolTasks.get()).isEqualTo(1);
  }

  @Test
  void fourWorkersBuildTheSameOperatorsAsOne() {
    Run one = new Run(missingReplicas(1_000, 1));
    Run four = new Run(missingReplicas(1_000, 4));
    for (Run run : new Run[] {one, four}) {
      run.fc.config(b -> b.replicaScheduleLimit(10_000));
      run.patrol.start();
      run.executor.runFor(Duration.ofMillis(100));
    }
    assertThat(one.ops.added()).hasSize(1_000);
    assertThat(four.plans()).isEqualTo(one.plans());
    assertThat(poolTasks.get()).isGreaterThan(0);
  }

  @Test
  void aStoreTurningDownIsRepairedByEveryWorker() {
    FakeCluster fc = new FakeCluster();
    fc.addStores(1, 2, 3, 4, 5);
    for (long id = 1; id <= 2_000; id++) {
      fc.addLeaderRegion(id, 1, 2, 3);
    }
    fc.config(b -> b.patrolRegionWorkerCount(3).replicaScheduleLimit(100_000)
        .maxStoreDownTime(Duration.ofMinutes(1)));
    Run run = new Run(fc);
    run.patrol.start();
    run.executor.runFor(Duration.ofMillis(200)); // a healthy round: nothing to do
    assertThat(run.ops.added()).isEmpty();
    fc.setStoreDown(3);
    run.patrol.storeChanged(3);
    run.executor.runFor(Duration.ofMillis(10));
    assertThat(run.ops.added()).hasSize(2_000)
        .allSatisfy(op -> assertThat(op.desc()).isEqualTo("replace-down-replica"));
    assertThat(poolTasks.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aShutDownPoolLeavesTheChecksToThePatrolThread() {
    pool.shutdown();
    Run run = new Run(missingReplicas(300, 4));
    run.fc.config(b -> b.replicaScheduleLimit(10_000));
    run.patrol.start();
    run.executor.runFor(Duration.ofMillis(50));
    assertThat(run.ops.added()).hasSize(300);
  }

  @Test
  void smallBatchesStayOnThePatrolThread() {
    Run run = new Run(missingReplicas(40, 8));
    run.fc.config(b -> b.replicaScheduleLimit(10_000));
    run.patrol.start();
    run.executor.runFor(Duration.ofMillis(10));
    assertThat(run.ops.added()).hasSize(40);
    assertThat(poolTasks.get()).isZero(); // 40 regions: one slice (32 at least per slice)
  }
}
