package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.AddLearner;
import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.ChangePeerV2Enter;
import dev.jpd.core.operator.ChangePeerV2Leave;
import dev.jpd.core.operator.DemoteVoter;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.operator.PromoteLearner;
import dev.jpd.core.operator.RemovePeer;
import dev.jpd.core.operator.TransferLeader;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sending steps and judging progress: dispatch, push, stale and epoch checks, timeouts, records. */
@Timeout(30)
class OperatorControllerDispatchTest {
  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness();
    h.cluster.addLeaderRegion(1, 1, 2, 3);
    h.cluster.addLeaderRegion(2, 1, 2, 3);
  }

  /** A replace-peer plan without joint consensus: store 1's peer moves to store 4. */
  Operator movePeer() {
    long p = FakeCluster.Rg.peerId(1, 4);
    return h.op("replace-rule-offline-peer", 1, OpKind.of(OpKind.REGION), Priority.HIGH,
        new AddLearner(4, p), new PromoteLearner(4, p), new TransferLeader(1, 4),
        new RemovePeer(1, FakeCluster.Rg.peerId(1, 1)));
  }

  static Pdpb.RegionHeartbeatResponse only(List<RecordingSink.Sent> sent, long storeId) {
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).storeId()).isEqualTo(storeId);
    return sent.get(0).msg();
  }

  @Test
  void startSendsTheFirstStepToTheLeadersStoreWithEpochAndTargetPeer() {
    RegionInfo region = h.cluster.region(1);
    assertThat(h.oc.add(h.transferLeader(1, 1, 2, Priority.MEDIUM)).accepted()).isTrue();
    Pdpb.RegionHeartbeatResponse msg = only(h.sink.drain(), 1);
    assertThat(msg.getHeader().getClusterId()).isEqualTo(Harness.CLUSTER_ID);
    assertThat(msg.getRegionId()).isEqualTo(1);
    assertThat(msg.getRegionEpoch()).isEqualTo(region.epoch());
    assertThat(msg.getTargetPeer()).isEqualTo(region.leader());
    assertThat(msg.getTransferLeader().getPeer().getStoreId()).isEqualTo(2);
    assertThat(msg.hasChangePeer()).isFalse();
    assertThat(h.events("transfer-hot-read-leader", "start")).isEqualTo(1);
    assertThat(h.events("transfer-hot-read-leader", "create")).isEqualTo(1);
  }

  @Test
  void confChangeV2IsUsedWhenTheConfigSaysSo() {
    h.config.v2 = true;
    h.oc.add(h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM));
    Pdpb.RegionHeartbeatResponse msg = only(h.sink.drain(), 1);
    assertThat(msg.hasChangePeer()).isFalse();
    assertThat(msg.getChangePeerV2().getChanges(0).getChangeType())
        .isEqualTo(ConfChangeType.AddLearnerNode);
    assertThat(msg.getChangePeerV2().getChanges(0).getPeer().getStoreId()).isEqualTo(4);
  }

  @Test
  void progressIsJudgedFromReportedRegionsStepByStepToSuccess() {
    Operator op = movePeer();
    assertThat(h.oc.add(op).accepted()).isTrue();
    Pdpb.RegionHeartbeatResponse add = only(h.sink.drain(), 1);
    assertThat(add.getChangePeer().getChangeType()).isEqualTo(ConfChangeType.AddLearnerNode);
    assertThat(add.getChangePeer().getPeer().getStoreId()).isEqualTo(4);

    // an unchanged heartbeat re-sends the step
    h.report(FakeCluster.Rg.of(1));
    assertThat(only(h.sink.drain(), 1)).isEqualTo(add);

    // the learner exists but its snapshot is pending: nothing to send, step not done
    h.advance(Duration.ofSeconds(10));
    h.report(FakeCluster.Rg.of(1).learners(4).pending(4).confVer(11));
    assertThat(h.sink.drain()).isEmpty();
    assertThat(op.currentStepIndex()).isZero();
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);

    h.advance(Duration.ofSeconds(10));
    h.report(FakeCluster.Rg.of(1).learners(4).confVer(11));
    Pdpb.RegionHeartbeatResponse promote = only(h.sink.drain(), 1);
    assertThat(promote.getChangePeer().getChangeType()).isEqualTo(ConfChangeType.AddNode);
    assertThat(promote.getRegionEpoch().getConfVer()).isEqualTo(11);
    assertThat(op.currentStepIndex()).isEqualTo(1);

    h.advance(Duration.ofSeconds(1));
    h.report(FakeCluster.Rg.of(1).voters(1, 2, 3, 4).confVer(12));
    assertThat(only(h.sink.drain(), 1).getTransferLeader().getPeer().getStoreId()).isEqualTo(4);

    // the leader moved: the remove-peer goes to the new leader's store
    h.advance(Duration.ofSeconds(1));
    h.report(FakeCluster.Rg.of(1).voters(1, 2, 3, 4).confVer(12).leader(4));
    Pdpb.RegionHeartbeatResponse remove = only(h.sink.drain(), 4);
    assertThat(remove.getChangePeer().getChangeType()).isEqualTo(ConfChangeType.RemoveNode);
    assertThat(remove.getChangePeer().getPeer().getStoreId()).isEqualTo(1);
    assertThat(remove.getTargetPeer().getStoreId()).isEqualTo(4);

    h.advance(Duration.ofSeconds(1));
    h.report(FakeCluster.Rg.of(1).voters(2, 3, 4).confVer(13).leader(4));
    assertThat(op.status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(h.sink.drain()).isEmpty();
    assertThat(h.oc.get(1)).isEmpty();
    assertThat(h.oc.getWithRecord(1)).contains(op);
    assertThat(h.oc.count(OpKind.REGION)).isZero();
    assertThat(h.events("replace-rule-offline-peer", "finish")).isEqualTo(1);
    assertThat(h.timerCount("pd_schedule_finish_operators_duration", "replace-rule-offline-peer"))
        .isEqualTo(1);
    assertThat(h.registry.find("pd_schedule_finish_operators_duration").timer()
        .totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(23);
    for (String step : List.of("AddLearner", "PromoteLearner", "TransferLeader", "RemovePeer")) {
      assertThat(h.timerCount("pd_schedule_finish_operator_steps_duration", step)).as(step)
          .isEqualTo(1);
    }
  }

  @Test
  void aJointConsensusPlanProgressesThroughEnterAndLeave() {
    h.config.v2 = true;
    long p4 = FakeCluster.Rg.peerId(1, 4);
    long p3 = FakeCluster.Rg.peerId(1, 3);
    List<PromoteLearner> promote = List.of(new PromoteLearner(4, p4));
    List<DemoteVoter> demote = List.of(new DemoteVoter(3, p3));
    Operator op = h.op("replace-rule-down-peer", 1, OpKind.of(OpKind.REPLICA), Priority.HIGH,
        new AddLearner(4, p4), new ChangePeerV2Enter(promote, demote),
        new ChangePeerV2Leave(promote, demote), new RemovePeer(3, p3));
    assertThat(h.oc.add(op).accepted()).isTrue();
    h.sink.drain();

    h.report(FakeCluster.Rg.of(1).learners(4).confVer(11));
    Pdpb.ChangePeerV2 enter = only(h.sink.drain(), 1).getChangePeerV2();
    assertThat(enter.getChangesList()).extracting(c -> c.getChangeType())
        .containsExactly(ConfChangeType.AddNode, ConfChangeType.AddLearnerNode);
    // the push scheduled at the start (5 s, for the add-learner) re-sends the joint step, and
    // from then on every 2 s
    h.advance(Duration.ofSeconds(5));
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getChangePeerV2()).isEqualTo(enter);
    h.advance(Duration.ofMillis(1_999));
    h.oc.pushOperators();
    assertThat(h.sink.drain()).isEmpty();
    h.advance(Duration.ofMillis(1));
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getChangePeerV2()).isEqualTo(enter);

    // joint state: conf_ver moved by the two changes, which the operator explains
    h.report(FakeCluster.Rg.of(1).voters(1, 2).incoming(4).demoting(3).confVer(13));
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
    Pdpb.RegionHeartbeatResponse leave = only(h.sink.drain(), 1);
    assertThat(leave.hasChangePeerV2()).isTrue();
    assertThat(leave.getChangePeerV2().getChangesCount()).isZero();

    h.report(FakeCluster.Rg.of(1).voters(1, 2, 4).learners(3).confVer(15));
    assertThat(only(h.sink.drain(), 1).getChangePeerV2().getChanges(0).getChangeType())
        .isEqualTo(ConfChangeType.RemoveNode);
    h.report(FakeCluster.Rg.of(1).voters(1, 2, 4).confVer(16));
    assertThat(op.status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(h.timerCount("pd_schedule_finish_operator_steps_duration", "ChangePeerV2Enter"))
        .isEqualTo(1);
  }

  @Test
  void confVerMovedFurtherThanTheStepsExplainCancelsWithEpochNotMatch() {
    h.config.limits.put(OpKind.REGION, 1L);
    Operator op = movePeer();
    h.oc.add(op);
    Operator waiting = h.addLearner("add-rule-peer", 2, 5, Priority.MEDIUM);
    h.oc.addWaiting(waiting);
    h.sink.drain();
    // conf_ver 11 but no learner on store 4: somebody else changed the membership
    h.report(FakeCluster.Rg.of(1).voters(1, 2, 3, 5).confVer(11));
    assertThat(op.status()).isEqualTo(OpStatus.CANCELED);
    assertThat(op.cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);
    assertThat(h.oc.get(1)).isEmpty();
    assertThat(h.sink.drain()).extracting(RecordingSink.Sent::storeId).containsExactly(1L);
    // the freed room started the waiting one (its command is what was just sent, on region 2)
    assertThat(waiting.status()).isEqualTo(OpStatus.STARTED);
    assertThat(h.events("replace-rule-offline-peer", "promote-stale")).isEqualTo(1);
  }

  @Test
  void confVerMovedByTheOperatorsOwnStepIsProgress() {
    Operator op = movePeer();
    h.oc.add(op);
    h.report(FakeCluster.Rg.of(1).learners(4).confVer(11));
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
    assertThat(op.currentStepIndex()).isEqualTo(1);
  }

  @Test
  void aStepThatCanNoLongerFinishCancelsAsStale() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    // the target peer left (and conf_ver moved with it): the transfer cannot happen
    h.report(FakeCluster.Rg.of(1).voters(1, 3).confVer(11));
    assertThat(op.cancelReason()).isEqualTo(CancelReason.STALE_STATUS);
  }

  @Test
  void thePushDoesNotJudgeStalenessOnlyHeartbeatsDo() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    h.cluster.put(FakeCluster.Rg.of(1).confVer(11)); // cached without a heartbeat dispatch
    h.advance(Duration.ofSeconds(2));
    h.oc.pushOperators();
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
  }

  @Test
  void aStuckStepTimesOut() {
    Operator op = h.addLearner("add-rule-peer", 1, 4, Priority.MEDIUM);
    h.oc.add(op);
    // 100 MiB: slow step timeout max(10 min, 6 s per MiB) = 10 min
    h.advance(Duration.ofMinutes(10));
    h.report(FakeCluster.Rg.of(1).learners(4).pending(4).confVer(11));
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
    h.advance(Duration.ofMillis(1));
    h.report(FakeCluster.Rg.of(1).learners(4).pending(4).confVer(11));
    assertThat(op.status()).isEqualTo(OpStatus.TIMEOUT);
    assertThat(h.oc.get(1)).isEmpty();
    assertThat(h.events("add-rule-peer", "timeout")).isEqualTo(1);
    assertThat(h.events("add-rule-peer", "promote-timeout")).isEqualTo(1);
  }

  @Test
  void thePushTickTimesOutAQuietRegion() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    h.advance(Duration.ofSeconds(61)); // fast step: 60 s
    h.oc.pushOperators();
    assertThat(op.status()).isEqualTo(OpStatus.TIMEOUT);
    assertThat(h.oc.running()).isEmpty();
  }

  @Test
  void thePushReSendsAfterTwoSecondsForQuickStepsAndFiveForTheRest() {
    h.oc.add(h.transferLeader(1, 1, 2, Priority.MEDIUM));
    h.oc.add(h.addLearner("add-rule-peer", 2, 4, Priority.MEDIUM));
    h.sink.drain();
    h.advance(Duration.ofMillis(1_999));
    h.oc.pushOperators();
    assertThat(h.sink.drain()).isEmpty();
    h.advance(Duration.ofMillis(1));
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getRegionId()).isEqualTo(1);
    h.advance(Duration.ofMillis(1_999)); // 3.999 s
    h.oc.pushOperators();
    assertThat(h.sink.drain()).isEmpty();
    h.advance(Duration.ofMillis(1)); // 4 s: the transfer again
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getRegionId()).isEqualTo(1);
    h.advance(Duration.ofMillis(1_000)); // 5 s: the add-learner's first push
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getRegionId()).isEqualTo(2);
  }

  @Test
  void aLostStreamLosesNoStep() {
    h.sink.loseStream(1);
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    assertThat(h.oc.add(op).accepted()).isTrue();
    assertThat(h.sink.all()).isEmpty();
    // the next tick tries again, still no stream
    h.advance(Duration.ofMillis(500));
    h.oc.pushOperators();
    assertThat(h.sink.all()).isEmpty();
    // the store reconnects: the next tick delivers, without waiting the full 2 s
    h.sink.restoreStream(1);
    h.advance(Duration.ofMillis(500));
    h.oc.pushOperators();
    assertThat(only(h.sink.drain(), 1).getTransferLeader().getPeer().getStoreId()).isEqualTo(2);
    // and a heartbeat re-sends it too
    h.report(FakeCluster.Rg.of(1));
    assertThat(only(h.sink.drain(), 1).hasTransferLeader()).isTrue();
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
  }

  @Test
  void aRegionThatDisappearedEndsItsOperator() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    h.cluster.removeRegion(1);
    h.advance(Duration.ofSeconds(2));
    h.oc.pushOperators();
    assertThat(op.cancelReason()).isEqualTo(CancelReason.REGION_NOT_FOUND);
    assertThat(h.events("transfer-hot-read-leader", "disappear")).isEqualTo(1);
  }

  @Test
  void recordsAreKeptTenMinutesThenPruned() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    h.advance(Duration.ofSeconds(1));
    long finished = h.clock.millis();
    h.report(FakeCluster.Rg.of(1).leader(2));
    assertThat(op.status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(h.oc.records(finished)).containsExactly(op);
    assertThat(h.oc.records(finished + 1)).isEmpty();
    assertThat(op.status().toPdpb()).isEqualTo(Pdpb.OperatorStatus.SUCCESS);

    h.advance(Duration.ofMinutes(10).minusMillis(1));
    h.oc.pushOperators();
    assertThat(h.oc.getWithRecord(1)).contains(op);
    h.advance(Duration.ofMillis(1));
    assertThat(h.oc.getWithRecord(1)).isEmpty();
    assertThat(h.oc.records(0)).isEmpty();
  }

  @Test
  void removeCancelsTheRunningOperatorAndSendsNothingMore() {
    Operator op = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    h.oc.add(op);
    h.sink.drain();
    assertThat(h.oc.remove(1, CancelReason.ADMIN_STOP)).isTrue();
    assertThat(op.cancelReason()).isEqualTo(CancelReason.ADMIN_STOP);
    h.report(FakeCluster.Rg.of(1));
    h.advance(Duration.ofSeconds(5));
    h.oc.pushOperators();
    assertThat(h.sink.all()).isEmpty();
    assertThat(h.oc.getWithRecord(1)).contains(op);
  }

  @Test
  void dispatchOfARegionWithoutOperatorDoesNothing() {
    h.oc.dispatch(h.cluster.region(2), Operators.DispatchSource.HEARTBEAT);
    assertThat(h.sink.all()).isEmpty();
  }
}
