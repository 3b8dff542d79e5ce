package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.FakeCluster;
import dev.jpd.checker.ManualScheduler;
import dev.jpd.checker.RecordingOperators;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The patrol loop on a fake cluster, a recording controller and a hand-driven executor. */
@Timeout(30)
class PatrolServiceTest {
  private final FakeCluster fc = new FakeCluster();
  private final RecordingOperators ops = new RecordingOperators();
  private final ManualScheduler executor = new ManualScheduler(fc.clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CheckerMetrics metrics = new CheckerMetrics(registry);
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private CheckerChain chain;
  private PatrolService patrol;

  private PatrolService patrol() {
    chain = CheckerChain.standard(fc.view, ops, metrics.events());
    patrol = new PatrolService(chain, fc.view, ops, executor, leader::get, metrics);
    return patrol;
  }

  /** Regions 1..n on stores 1 2 3, healthy. */
  private void healthyRegions(int n) {
    for (long id = 1; id <= n; id++) {
      fc.addLeaderRegion(id, 1, 2, 3);
    }
  }

  private Set<Long> regionsWithOps() {
    Set<Long> ids = new HashSet<>();
    for (Operator op : ops.added()) {
      ids.add(op.regionId());
    }
    return ids;
  }

  @Test
  void scanBatchSizeIsAdaptive() {
    assertThat(PatrolService.scanLimit(0)).isEqualTo(128);
    assertThat(PatrolService.scanLimit(131_072)).isEqualTo(128);
    assertThat(PatrolService.scanLimit(1_000_000)).isEqualTo(976);
    assertThat(PatrolService.scanLimit(10_000_000)).isEqualTo(8192);
  }

  @Test
  void aFullScanRepairsEveryRegionMissingAReplica() {
    fc.addStores(1, 2, 3, 4);
    for (long id = 1; id <= 300; id++) {
      fc.addLeaderRegion(id, 1, 2);
    }
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).hasSize(64); // replica-schedule-limit
    ops.finishAll();
    fc.config(b -> b.replicaScheduleLimit(10_000));
    executor.runFor(Duration.ofMillis(50));
    assertThat(regionsWithOps()).hasSize(300);
    assertThat(ops.added()).allSatisfy(op -> assertThat(op.desc()).isEqualTo("make-up-replica"));
    assertThat(registry.get("pd_checker_event_count").tag("type", "replica_checker")
        .tag("name", "new-operator").counter().count()).isGreaterThanOrEqualTo(300);
  }

  @Test
  void aRoundEndsAtTheEndOfTheKeySpaceAndReportsItsTime() {
    fc.addStores(1, 2, 3);
    healthyRegions(300);
    patrol().start();
    executor.runFor(Duration.ofMillis(10)); // 128
    executor.runFor(Duration.ofMillis(10)); // 256
    assertThat(registry.get("pd_checker_patrol_regions_time").gauge().value()).isZero();
    executor.runFor(Duration.ofMillis(10)); // 300
    assertThat(registry.get("pd_checker_patrol_regions_time").gauge().value()).isZero();
    executor.runFor(Duration.ofMillis(10)); // nothing after k(301): the round ends
    assertThat(registry.get("pd_checker_patrol_regions_time").gauge().value()).isEqualTo(0.03);
    assertThat(ops.added()).isEmpty();
  }

  @Test
  void regionsWithAnOperatorAreSkipped() {
    fc.addStores(1, 2, 3, 4);
    fc.addLeaderRegion(1, 1, 2);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).hasSize(1);
    executor.runFor(Duration.ofMillis(100));
    assertThat(ops.added()).hasSize(1);
    assertThat(registry.get("pd_checker_event_count").tag("type", "patrol")
        .tag("name", "skip-has-operator").counter().count()).isPositive();
  }

  @Test
  void aScheduleLimitPutsTheRegionInThePendingListUntilThereIsRoom() {
    fc.addStores(1, 2, 3, 4);
    fc.config(b -> b.replicaScheduleLimit(1));
    fc.addLeaderRegion(1, 1, 2);
    fc.addLeaderRegion(2, 1, 2);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(regionsWithOps()).containsExactly(1L);
    assertThat(patrol.isPending(2)).isTrue();
    ops.finish(1);
    executor.runFor(Duration.ofMillis(10));
    assertThat(regionsWithOps()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(patrol.isPending(2)).isFalse();
  }

  @Test
  void aRefusedOperatorPutsTheRegionInThePendingList() {
    fc.addStores(1, 2, 3, 4);
    fc.addLeaderRegion(1, 1, 2);
    ops.refuse("exceed store limit");
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(patrol.pendingRegionIds()).containsExactly(1L);
    ops.refuse(null);
    executor.runFor(Duration.ofMillis(10));
    assertThat(regionsWithOps()).containsExactly(1L);
    assertThat(patrol.pendingRegionIds()).isEmpty();
  }

  @Test
  void pendingEntriesExpireAfterThreeMinutes() {
    PendingRegions pending = new PendingRegions(PendingRegions.TTL_MILLIS, 2);
    pending.add(1, 0);
    pending.add(2, 1_000);
    pending.add(1, 2_000); // moves to the back, keeps its expiry
    assertThat(pending.take(10, 2_000)).containsExactly(2L, 1L);
    assertThat(pending.take(10, PendingRegions.TTL_MILLIS)).containsExactly(2L);
    pending.add(3, 0);
    pending.add(4, 0); // over capacity: the oldest goes
    assertThat(pending.ids()).containsExactly(3L, 4L);
  }

  @Test
  void anUnhealthyRegionIsCheckedAtOnceNotWhenTheScanComesAround() {
    fc.addStores(1, 2, 3, 4);
    healthyRegions(5_000);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).isEmpty();
    fc.addLeaderRegion(4_000, 1, 2); // lost a peer
    patrol.regionUnhealthy(4_000);
    executor.runFor(Duration.ofMillis(10));
    assertThat(regionsWithOps()).containsExactly(4_000L);
  }

  @Test
  void aStoreChangeQueuesEveryRegionOfTheStore() {
    fc.addStores(1, 2, 3, 4, 5);
    healthyRegions(3_000);
    for (long id = 3_001; id <= 3_100; id++) {
      fc.addLeaderRegion(id, 4, 1, 2);
    }
    fc.config(b -> b.replicaScheduleLimit(100_000));
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    fc.setStoreOffline(4);
    patrol.storeChanged(4);
    executor.runFor(Duration.ofMillis(10));
    assertThat(regionsWithOps()).hasSize(100).allMatch(id -> id > 3_000);
    assertThat(ops.added()).allMatch(op -> op.desc().equals("replace-offline-replica"));
  }

  @Test
  void regionsMissingReplicasAreRetriedWithBackOff() {
    fc.addStores(1, 2);
    fc.addLeaderRegion(1, 1, 2);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(patrol.inPriority(1)).isTrue();
    PriorityRegions p = new PriorityRegions(2);
    p.update(1, 1, 0);
    assertThat(p.due(99, 10)).isEmpty();
    assertThat(p.due(100, 10)).containsExactly(1L); // attempt 1: 10 intervals
    assertThat(p.due(299, 10)).isEmpty();
    assertThat(p.due(300, 10)).containsExactly(1L); // attempt 2: 20 intervals
    p.update(2, 2, 0);
    p.update(3, 3, 0); // full: evicts the one missing least
    assertThat(p.contains(1)).isFalse();
    p.update(3, 0, 0);
    assertThat(p.contains(3)).isFalse();
  }

  @Test
  void aHealedRegionLeavesThePriorityList() {
    fc.addStores(1, 2);
    fc.addLeaderRegion(1, 1, 2);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(patrol.inPriority(1)).isTrue();
    fc.addStores(3);
    fc.addLeaderRegion(1, 1, 2, 3);
    executor.runFor(Duration.ofMillis(200));
    assertThat(patrol.inPriority(1)).isFalse();
  }

  @Test
  void suspectRangesPutTheirRegionsInThePendingList() {
    fc.addStores(1, 2, 3, 4);
    healthyRegions(2_000);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    for (long id = 1_500; id < 1_510; id++) {
      fc.addLeaderRegion(id, 1, 2);
    }
    patrol.addSuspectKeyRange(FakeCluster.key(1_500).toByteArray(),
        FakeCluster.key(1_510).toByteArray());
    executor.runFor(Duration.ofMillis(20));
    assertThat(regionsWithOps()).hasSize(10);
  }

  @Test
  void nothingRunsWhileNotLeaderOrHalted() {
    fc.addStores(1, 2, 3, 4);
    fc.addLeaderRegion(1, 1, 2);
    leader.set(false);
    patrol().start();
    executor.runFor(Duration.ofMillis(100));
    assertThat(ops.added()).isEmpty();
    leader.set(true);
    fc.config(b -> b.haltScheduling(true));
    executor.runFor(Duration.ofMillis(100));
    assertThat(ops.added()).isEmpty();
    fc.config(b -> b.haltScheduling(false));
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).hasSize(1);
  }

  @Test
  void nothingIsScheduledBeforeMostRegionsHaveReported() {
    fc.addStores(1, 2, 3, 4);
    for (long id = 1; id <= 10; id++) {
      RegionInfo r = FakeCluster.region(id, "1* 2", 10, 100);
      fc.regions.putRegion(RegionInfo.fromMeta(r.meta(), null));
    }
    patrol().start();
    executor.runFor(Duration.ofSeconds(2));
    assertThat(patrol.isPrepared()).isFalse();
    assertThat(ops.added()).isEmpty();
    for (long id = 1; id <= 9; id++) {
      fc.addRegion(id, "1* 2", 10, 100); // reported by a heartbeat
    }
    executor.runFor(Duration.ofMillis(1_010));
    assertThat(patrol.isPrepared()).isTrue();
    assertThat(ops.added()).isNotEmpty();
  }

  @Test
  void prepareRule() {
    assertThat(PrepareCheck.prepared(100, 89, 0)).isFalse();
    assertThat(PrepareCheck.prepared(100, 90, 0)).isTrue();
    assertThat(PrepareCheck.prepared(100, 0, PrepareCheck.COLLECT_TIMEOUT_MILLIS)).isTrue();
    assertThat(PrepareCheck.prepared(0, 0, 0)).as("no region yet: not bootstrapped").isFalse();
    assertThat(PrepareCheck.prepared(0, 0, PrepareCheck.COLLECT_TIMEOUT_MILLIS)).isTrue();
  }

  @Test
  void lifecycleStartsAndStopsTheTicks() {
    fc.addStores(1, 2, 3);
    patrol().start();
    assertThat(patrol.isRunning()).isTrue();
    assertThat(executor.pending()).isEqualTo(1);
    assertThatThrownBy(patrol::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RUNNING to RUNNING");
    patrol.stop();
    assertThat(patrol.isRunning()).isFalse();
    assertThat(executor.runFor(Duration.ofMillis(100))).isZero();
    patrol.start(); // leader again
    assertThat(executor.runFor(Duration.ofMillis(30))).isEqualTo(3);
    patrol.stop();
  }

  @Test
  void aFailingTickDoesNotStopThePatrol() {
    fc.addStores(1, 2, 3, 4);
    fc.addLeaderRegion(1, 1, 2);
    List<Integer> calls = new java.util.ArrayList<>();
    leader.set(true);
    patrol();
    PatrolService failing = new PatrolService(chain, fc.view, ops, executor, () -> {
      calls.add(1);
      if (calls.size() == 1) {
        throw new IllegalStateException("boom");
      }
      return true;
    }, metrics);
    failing.start();
    executor.runFor(Duration.ofMillis(20));
    assertThat(calls).hasSize(2);
    assertThat(ops.added()).hasSize(1);
    failing.stop();
  }

  @Test
  void storeStateSeenByTheChecker() {
    fc.addStores(1, 2, 3, 4);
    fc.addLeaderRegion(1, 1, 2, 3);
    fc.setStoreDown(3);
    patrol().start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).singleElement()
        .satisfies(op -> assertThat(op.desc()).isEqualTo("replace-down-replica"));
    assertThat(fc.view.storeStatus(3).stateName()).isEqualTo("Down");
    assertThat(fc.store(3).meta().getState()).isEqualTo(Metapb.StoreState.Up);
  }

  @Test
  void aCheckerFailingOnOneRegionDoesNotStallTheScan() {
    fc.addStores(1, 2, 3);
    healthyRegions(3);
    fc.config(b -> b.enablePlacementRules(true));
    List<Long> seen = new java.util.ArrayList<>();
    dev.jpd.checker.Checker rule = new dev.jpd.checker.Checker() {
      @Override
      public String name() {
        return "rule";
      }

      @Override
      public List<Operator> check(RegionInfo region, dev.jpd.checker.CheckRequest req) {
        seen.add(region.id());
        if (region.id() == 2) {
          throw new IllegalStateException("bad region");
        }
        return List.of();
      }
    };
    chain = CheckerChain.standard(fc.view, ops, metrics.events(), rule);
    patrol = new PatrolService(chain, fc.view, ops, executor, leader::get, metrics);
    patrol.start();
    executor.runFor(Duration.ofMillis(10));
    assertThat(seen).containsExactly(1L, 2L, 3L);
    assertThat(registry.get("pd_checker_event_count").tag("type", "patrol")
        .tag("name", "check-failed").counter().count()).isEqualTo(1);
    patrol.stop();
  }
}
