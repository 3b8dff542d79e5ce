package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators.AddResult;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.operator.TransferLeader;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Adding operators: the checks, replacement, schedule limits, store limits, the waiting queue. */
@Timeout(30)
class OperatorControllerAdmissionTest {
  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness();
    for (long id = 1; id <= 20; id++) {
      h.cluster.addLeaderRegion(id, 1, 2, 3);
    }
  }

  @Test
  void unknownRegionIsRefusedAndTheOperatorCanceled() {
    Operator op = h.transferLeader(99, 1, 2, Priority.MEDIUM);
    AddResult r = h.oc.add(op);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).isEqualTo("region 99 not found");
    assertThat(op.status()).isEqualTo(OpStatus.CANCELED);
    assertThat(op.cancelReason()).isEqualTo(CancelReason.REGION_NOT_FOUND);
    assertThat(h.oc.get(99)).isEmpty();
    assertThat(h.oc.getWithRecord(99)).contains(op);
    assertThat(h.events("transfer-hot-read-leader", "not-found")).isEqualTo(1);
    assertThat(h.sink.all()).isEmpty();
  }

  @Test
  void epochMismatchIsRefused() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.cluster.put(FakeCluster.Rg.of(1).confVer(11)); // a conf change landed after the op was made
    AddResult r = h.oc.add(op);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).contains("conf_ver 11").contains("conf_ver 10");
    assertThat(op.cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);

    Operator byVersion = h.transferLeader(2, 1, 2, Priority.MEDIUM);
    h.cluster.put(FakeCluster.Rg.of(2).ver(11));
    assertThat(h.oc.add(byVersion).accepted()).isFalse();
    assertThat(byVersion.cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);
  }

  @Test
  void equalPriorityIsRefusedHigherReplacesLowerIsRefused() {
    Operator first = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    assertThat(h.oc.add(first)).isEqualTo(AddResult.OK);
    assertThat(first.status()).isEqualTo(OpStatus.STARTED);

    Operator same = h.transferLeader(1, 1, 3, Priority.MEDIUM);
    AddResult r = h.oc.add(same);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).contains("already has operator").contains("medium");
    assertThat(same.cancelReason()).isEqualTo(CancelReason.ALREADY_EXIST);
    assertThat(h.oc.add(h.transferLeader(1, 1, 3, Priority.LOW)).accepted()).isFalse();
    assertThat(h.oc.get(1)).contains(first);

    Operator higher = h.transferLeader(1, 1, 3, Priority.HIGH);
    assertThat(h.oc.add(higher)).isEqualTo(AddResult.OK);
    assertThat(first.status()).isEqualTo(OpStatus.REPLACED);
    assertThat(h.oc.get(1)).contains(higher);
    assertThat(h.oc.count(OpKind.LEADER)).isEqualTo(1);
    assertThat(h.events("transfer-hot-read-leader", "replace")).isEqualTo(1);
  }

  @Test
  void anOperatorThatIsNotCreatedIsRefusedAndLeftAlone() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    assertThat(h.oc.add(op).accepted()).isTrue();
    h.oc.remove(1, CancelReason.ADMIN_STOP);
    AddResult again = h.oc.add(op);
    assertThat(again.accepted()).isFalse();
    assertThat(again.reason()).contains("CANCELED").contains("only a CREATED operator");
    assertThat(op.cancelReason()).isEqualTo(CancelReason.ADMIN_STOP);
  }

  @Test
  void anOperatorOlderThanThreeSecondsExpires() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.advance(Duration.ofSeconds(3));
    AddResult r = h.oc.add(op);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).startsWith("operator expired");
    assertThat(op.status()).isEqualTo(OpStatus.EXPIRED);
    assertThat(h.events("transfer-hot-read-leader", "expire")).isEqualTo(1);
  }

  @Test
  void scheduleLimitPerKindRefusesButNotAdminOrUrgent() {
    for (long id = 1; id <= 4; id++) {
      assertThat(h.oc.add(h.transferLeader(id, 1, 2, Priority.MEDIUM)).accepted()).isTrue();
    }
    assertThat(h.oc.count(OpKind.LEADER)).isEqualTo(4);
    Operator fifth = h.transferLeader(5, 1, 2, Priority.HIGH);
    AddResult r = h.oc.add(fifth);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).isEqualTo(
        "exceed schedule limit: 4 leader operators are running and leader-schedule-limit is 4");
    assertThat(fifth.status()).isEqualTo(OpStatus.CREATED); // may be offered again
    Counter limit = h.registry.find("pd_schedule_operator_limit")
        .tags("type", "transfer-hot-read-leader", "name", "leader").counter();
    assertThat(limit).isNotNull();
    assertThat(limit.count()).isEqualTo(1);

    Operator urgent = h.transferLeader(6, 1, 2, Priority.URGENT);
    assertThat(h.oc.add(urgent).accepted()).isTrue();
    Operator admin = h.op("admin-transfer-leader", 7, OpKind.of(OpKind.ADMIN, OpKind.LEADER),
        Priority.LOW, new TransferLeader(1, 2));
    assertThat(admin.priority()).isEqualTo(Priority.URGENT);
    assertThat(h.oc.add(admin).accepted()).isTrue();

    // a higher limit from the config of the moment lets the fifth in
    h.config.limits.put(OpKind.LEADER, 8L);
    assertThat(h.oc.add(fifth).accepted()).isTrue();
  }

  @Test
  void replacingAnOperatorOfTheSameKindDoesNotCountTwice() {
    h.config.limits.put(OpKind.LEADER, 1L);
    assertThat(h.oc.add(h.transferLeader(1, 1, 2, Priority.LOW)).accepted()).isTrue();
    assertThat(h.oc.add(h.transferLeader(1, 1, 3, Priority.HIGH)).accepted()).isTrue();
    assertThat(h.oc.add(h.transferLeader(2, 1, 3, Priority.HIGH)).accepted()).isFalse();
  }

  @Test
  void storeLimitRefusesWhenTokensAreShortAndRefillsOverTime() {
    // 100 MiB regions: an add-learner costs a full step (1000) on the target store; 15/min.
    assertThat(h.oc.addPeerAvailable(4, 100)).isTrue();
    Operator a = h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM);
    assertThat(h.oc.add(a).accepted()).isTrue();
    // what the checkers ask before building: no tokens left for a big region's peer on store 4
    assertThat(h.oc.addPeerAvailable(4, 100)).isFalse();
    assertThat(h.oc.addPeerAvailable(5, 100)).isTrue();
    Operator b = h.addLearner("add-rule-peer", 2, 4, Priority.MEDIUM);
    AddResult r = h.oc.add(b);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).isEqualTo(
        "exceed store limit: store 4 add-peer needs 1000 tokens, 0 available at 15.0 per minute");
    assertThat(b.cancelReason()).isEqualTo(CancelReason.EXCEED_STORE_LIMIT);
    Counter exceeded = h.registry.find("pd_schedule_operator_exceeded_store_limit")
        .tags("desc", "add-rule-peer").counter();
    assertThat(exceeded.count()).isEqualTo(1);
    // another store still has its tokens
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 3, 5, Priority.MEDIUM)).accepted()).isTrue();

    h.advance(Duration.ofMillis(3_999));
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 4, 4, Priority.MEDIUM)).accepted()).isFalse();
    h.advance(Duration.ofMillis(1));
    assertThat(h.oc.addPeerAvailable(4, 100)).as("refilled, and asking took nothing").isTrue();
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 5, 4, Priority.MEDIUM)).accepted()).isTrue();
    assertThat(h.registry.find("pd_schedule_store_limit_cost")
        .tags("store", "4", "limit_type", "add-peer").counter().count()).isEqualTo(2);
  }

  @Test
  void urgentOperatorsBypassTheStoreLimit() {
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM)).accepted()).isTrue();
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 2, 4, Priority.URGENT)).accepted()).isTrue();
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 3, 4, Priority.URGENT)).accepted()).isTrue();
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 4, 4, Priority.HIGH)).accepted()).isFalse();
  }

  @Test
  void aRemovingStoreHasNoRemovePeerLimitWhileItDrains() {
    assertThat(h.oc.add(h.removePeer("remove-extra-peer", 1, 3, Priority.MEDIUM)).accepted()).isTrue();
    assertThat(h.oc.add(h.removePeer("remove-extra-peer", 2, 3, Priority.MEDIUM)).accepted()).isFalse();
    h.cluster.setStoreRemoving(3);
    for (long id = 3; id <= 12; id++) {
      assertThat(h.oc.add(h.removePeer("remove-extra-peer", id, 3, Priority.MEDIUM)).accepted())
          .as("region %d", id).isTrue();
    }
    // store 2 is not draining: its remove-peer limit still holds
    assertThat(h.oc.add(h.removePeer("remove-extra-peer", 13, 2, Priority.MEDIUM)).accepted()).isTrue();
    assertThat(h.oc.add(h.removePeer("remove-extra-peer", 14, 2, Priority.MEDIUM)).accepted()).isFalse();
  }

  @Test
  void waitingOperatorsStartAtOnceWhenLimitsAllow() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    assertThat(h.oc.addWaiting(op)).isEqualTo(AddResult.OK);
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
    assertThat(h.oc.waitingOperators()).isEmpty();
    assertThat(h.events("transfer-hot-read-leader", "put")).isEqualTo(1);
    assertThat(h.events("transfer-hot-read-leader", "get")).isEqualTo(1);
  }

  @Test
  void waitingQueueHoldsAtMostMaxWaitingPerDescription() {
    h.config.limits.put(OpKind.LEADER, 0L); // nothing may start: everything waits
    for (long id = 1; id <= 5; id++) {
      assertThat(h.oc.addWaiting(h.transferLeader(id, 1, 2, Priority.MEDIUM)).accepted()).isTrue();
    }
    assertThat(h.oc.waitingOperators()).hasSize(5);
    Operator sixth = h.transferLeader(6, 1, 2, Priority.MEDIUM);
    AddResult r = h.oc.addWaiting(sixth);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).isEqualTo("exceed max waiting operators: 5 transfer-hot-read-leader "
        + "operators wait, scheduler-max-waiting-operator is 5");
    assertThat(sixth.cancelReason()).isEqualTo(CancelReason.EXCEED_WAIT_LIMIT);
    // another description has its own allowance
    assertThat(h.oc.addWaiting(h.addLearner("add-rule-peer", 7, 4, Priority.MEDIUM)).accepted())
        .isTrue();
  }

  @Test
  void waitingOperatorsArePromotedByPriorityWhenRoomFrees() {
    h.config.limits.put(OpKind.LEADER, 1L);
    Operator running = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    assertThat(h.oc.add(running).accepted()).isTrue();
    Operator low = h.transferLeader(2, 1, 2, Priority.LOW);
    Operator high = h.transferLeader(3, 1, 2, Priority.HIGH);
    h.oc.addWaiting(low);
    h.oc.addWaiting(high);
    assertThat(h.oc.waitingOperators()).containsExactly(high, low);
    assertThat(low.status()).isEqualTo(OpStatus.CREATED);

    // the running one finishes: the leader moved to store 2. The draw 0 picks high (9 of 10).
    h.report(FakeCluster.Rg.of(1).leader(2));
    assertThat(running.status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(high.status()).isEqualTo(OpStatus.STARTED);
    assertThat(low.status()).isEqualTo(OpStatus.CREATED);
    assertThat(h.oc.waitingOperators()).containsExactly(low);
    assertThat(h.events("transfer-hot-read-leader", "promote-success")).isEqualTo(1);
  }

  @Test
  void aWaitingOperatorOverTheStoreLimitIsCanceledWhenItsTurnComes() {
    h.config.limits.put(OpKind.REGION, 1L);
    assertThat(h.oc.add(h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM)).accepted()).isTrue();
    Operator next = h.addLearner("add-rule-peer", 2, 4, Priority.MEDIUM);
    h.oc.addWaiting(next);
    assertThat(next.status()).isEqualTo(OpStatus.CREATED);
    h.config.limits.put(OpKind.REGION, 2L);
    h.oc.pushOperators(); // promotion: room in the schedule limit, but store 4 has no tokens
    assertThat(next.cancelReason()).isEqualTo(CancelReason.EXCEED_STORE_LIMIT);
    assertThat(h.oc.waitingOperators()).isEmpty();
  }

  @Test
  void expiredWaitingOperatorsAreDroppedByThePushTick() {
    h.config.limits.put(OpKind.LEADER, 0L);
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.addWaiting(op);
    h.advance(Duration.ofMillis(2_999));
    h.oc.pushOperators();
    assertThat(op.status()).isEqualTo(OpStatus.CREATED);
    h.advance(Duration.ofMillis(1));
    h.oc.pushOperators();
    assertThat(op.status()).isEqualTo(OpStatus.EXPIRED);
    assertThat(h.oc.waitingOperators()).isEmpty();
    assertThat(h.oc.getWithRecord(1)).contains(op);
    // the queue has room again
    h.config.limits.put(OpKind.LEADER, 4L);
    assertThat(h.oc.addWaiting(h.transferLeader(1, 1, 2, Priority.MEDIUM)).accepted()).isTrue();
    assertThat(h.oc.get(1)).isPresent();
  }

  @Test
  void removeAllCancelsRunningAndWaiting() {
    h.config.limits.put(OpKind.LEADER, 1L);
    Operator running = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    Operator waiting = h.transferLeader(2, 1, 2, Priority.MEDIUM);
    h.oc.add(running);
    h.oc.addWaiting(waiting);
    assertThat(h.oc.removeAll(CancelReason.ADMIN_STOP)).isEqualTo(1);
    assertThat(running.cancelReason()).isEqualTo(CancelReason.ADMIN_STOP);
    assertThat(waiting.cancelReason()).isEqualTo(CancelReason.ADMIN_STOP);
    assertThat(h.oc.running()).isEmpty();
    assertThat(h.oc.waitingOperators()).isEmpty();
    assertThat(h.oc.count(OpKind.LEADER)).isZero();
    assertThat(h.oc.remove(1, CancelReason.ADMIN_STOP)).isFalse();
  }

  @Test
  void influenceCountsTheUnfinishedStepsOfRunningOperators() {
    h.oc.add(h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM));
    h.oc.add(h.transferLeader(2, 1, 2, Priority.MEDIUM));
    var inf = h.oc.influence();
    assertThat(inf.get(4).regionCount).isEqualTo(1);
    assertThat(inf.get(4).regionSize).isEqualTo(100);
    assertThat(inf.get(2).leaderCount).isEqualTo(1);
    assertThat(inf.get(1).leaderCount).isEqualTo(-1);
  }
}
