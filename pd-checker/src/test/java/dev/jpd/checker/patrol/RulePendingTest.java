package dev.jpd.checker.patrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.FakeCluster;
import dev.jpd.checker.ManualScheduler;
import dev.jpd.checker.RecordingOperators;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.storage.MemoryMetaStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rule pending list (PD's rule-checker {@code pendingList}): a region the rule checker cannot
 * fix for want of a qualifying store is kept until a store change brings a target; one whose
 * targets are only temporarily unavailable goes to the ordinary pending list instead.
 */
@Timeout(30)
class RulePendingTest {
  private final FakeCluster fc = new FakeCluster();
  private final RecordingOperators ops = new RecordingOperators();
  private final ManualScheduler executor = new ManualScheduler(fc.clock);
  private PatrolService patrol;

  @BeforeEach
  void setUp() {
    fc.config(b -> b.enablePlacementRules(true));
    fc.addStore(1, "zone=z1");
    fc.addStore(2, "zone=z1");
    fc.addStore(3, "zone=z1");
    fc.addLeaderRegion(1, 1, 2, 3);
    fc.addLeaderRegion(2, 1, 2, 3);
    RuleManager rules = new RuleManager(new MemoryMetaStore(), 7,
        new RuleManager.Replication(3, List.of(), ""), () -> 1000);
    // a learner in zone z2, where no store is yet
    rules.setRule(new Rule("pd", "z2-learner", 1, false, "", "", "learner", false, 1,
        List.of(new LabelConstraint("zone", "in", List.of("z2"))), List.of(), "", 0, 0));
    CheckerMetrics metrics = new CheckerMetrics(new SimpleMeterRegistry());
    CheckerChain chain = CheckerChain.standard(fc.view, ops, metrics.events(), rules);
    patrol = new PatrolService(chain, fc.view, ops, executor, () -> true, metrics);
    patrol.start();
  }

  @Test
  void noQualifyingStoreKeepsTheRegionUntilAStoreChangeBringsOne() {
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).isEmpty();
    assertThat(patrol.rulePendingRegionIds()).containsExactly(1L, 2L);
    assertThat(patrol.isRulePending(1)).isTrue();
    assertThat(patrol.isPending(1)).as("not the TTL'd waiting list").isFalse();

    fc.addStore(4, "zone=z2");
    patrol.storeChanged(4); // store 4 holds no region: only the rule pending list brings them
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).extracting(Operator::regionId).containsExactlyInAnyOrder(1L, 2L);
    assertThat(ops.added()).allSatisfy(op -> assertThat(op.desc()).isEqualTo("add-rule-peer"));
    assertThat(patrol.rulePendingRegionIds()).isEmpty();
  }

  @Test
  void aTemporarilyUnavailableTargetIsRetriedFromTheWaitingListInstead() {
    fc.addStore(4, "zone=z2");
    fc.setStoreBusy(4);
    executor.runFor(Duration.ofMillis(10));
    assertThat(ops.added()).isEmpty();
    assertThat(patrol.isRulePending(1)).isFalse();
    assertThat(patrol.isPending(1)).isTrue();
  }

  @Test
  void aRegionThatLeavesIsDroppedAtTheNextStoreChange() {
    executor.runFor(Duration.ofMillis(10));
    assertThat(patrol.isRulePending(2)).isTrue();
    fc.regions.removeRegion(2);
    patrol.storeChanged(1);
    executor.runFor(Duration.ofMillis(10));
    assertThat(patrol.isRulePending(2)).isFalse();
    assertThat(patrol.isRulePending(1)).isTrue();
  }

  @Test
  void theListIsCappedOldestFirst() {
    RulePendingRegions list = new RulePendingRegions(2);
    list.add(1);
    list.add(2);
    list.add(1); // already there: keeps its place
    list.add(3);
    assertThat(list.ids()).containsExactly(2L, 3L);
    list.remove(2);
    assertThat(list.ids()).containsExactly(3L);
    assertThat(RulePendingRegions.CAPACITY).isEqualTo(100_000);
    assertThatThrownBy(() -> new RulePendingRegions(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }
}
