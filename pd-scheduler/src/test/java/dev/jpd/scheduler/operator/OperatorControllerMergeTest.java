package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Operators.AddResult;
import dev.jpd.core.operator.Priority;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The merge pair: admitted, queued and started together; ends together. */
@Timeout(30)
class OperatorControllerMergeTest {
  Harness h;

  @BeforeEach
  void setUp() {
    h = new Harness();
  }

  /** Regions {@code source} [k, k+"m") and {@code target} [k+"m", k+"z"), both led by store 1. */
  Operator[] pair(long source, long target) {
    String k = "k" + source;
    Metapb.Region from = h.cluster.put(FakeCluster.Rg.of(source).keys(k, k + "m")).meta();
    Metapb.Region to = h.cluster.put(FakeCluster.Rg.of(target).keys(k + "m", k + "z")).meta();
    Operator active = h.op("merge-region", source, OpKind.of(OpKind.MERGE), Priority.MEDIUM,
        new MergeRegion(from, to, false));
    Operator passive = h.op("merge-region", target, OpKind.of(OpKind.MERGE), Priority.MEDIUM,
        new MergeRegion(from, to, true));
    return new Operator[] {active, passive};
  }

  @Test
  void thePairStartsTogetherAndEndsWhenTheTargetReportsItsGrownRange() {
    Operator[] ops = pair(1, 2);
    assertThat(h.oc.addWaiting(ops)).isEqualTo(AddResult.OK);
    assertThat(ops[0].status()).isEqualTo(OpStatus.STARTED);
    assertThat(ops[1].status()).isEqualTo(OpStatus.STARTED);
    assertThat(h.oc.count(OpKind.MERGE)).isEqualTo(2);
    List<RecordingSink.Sent> sent = h.sink.drain();
    assertThat(sent).hasSize(1); // only the source's leader gets a command
    Pdpb.RegionHeartbeatResponse msg = sent.get(0).msg();
    assertThat(msg.getRegionId()).isEqualTo(1);
    assertThat(msg.getMerge().getTarget().getId()).isEqualTo(2);

    // PrepareMerge moved the source's version and conf_ver: progress, not a stale operator
    h.report(FakeCluster.Rg.of(1).keys("k1", "k1m").ver(11).confVer(11));
    assertThat(ops[0].status()).isEqualTo(OpStatus.STARTED);

    h.advance(Duration.ofSeconds(3));
    h.cluster.removeRegion(1);
    h.report(FakeCluster.Rg.of(2).keys("k1", "k1z").ver(11));
    assertThat(ops[1].status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(ops[0].status()).isEqualTo(OpStatus.CANCELED);
    assertThat(ops[0].cancelReason()).isEqualTo(CancelReason.RELATED_MERGE_REGION);
    assertThat(h.oc.running()).isEmpty();
    assertThat(h.oc.count(OpKind.MERGE)).isZero();
    assertThat(h.events("merge-region", "finish")).isEqualTo(1);
  }

  @Test
  void aGoneSourceJudgesThePassiveOperatorFromTheCachedTarget() {
    Operator[] ops = pair(1, 2);
    h.oc.add(ops);
    // the merged target reached the cache without a dispatch of it yet
    h.cluster.removeRegion(1);
    h.cluster.put(FakeCluster.Rg.of(2).keys("k1", "k1z").ver(11));
    h.advance(Duration.ofSeconds(5));
    h.oc.pushOperators();
    assertThat(ops[1].status()).isEqualTo(OpStatus.SUCCESS);
    assertThat(ops[0].cancelReason()).isEqualTo(CancelReason.RELATED_MERGE_REGION);
    assertThat(h.oc.running()).isEmpty();
  }

  @Test
  void canceledSourceCancelsTheTarget() {
    Operator[] ops = pair(1, 2);
    h.oc.add(ops);
    assertThat(h.oc.remove(1, CancelReason.ADMIN_STOP)).isTrue();
    assertThat(ops[0].cancelReason()).isEqualTo(CancelReason.ADMIN_STOP);
    assertThat(ops[1].cancelReason()).isEqualTo(CancelReason.RELATED_MERGE_REGION);
    assertThat(h.oc.count(OpKind.MERGE)).isZero();
  }

  @Test
  void aSplitDuringTheLeaderTransferBeforeMergeCancelsIt() {
    // a merge whose source first needs its leader moved: a version change then means the
    // ranges moved under it
    String k = "k1";
    Metapb.Region from = h.cluster.put(FakeCluster.Rg.of(1).keys(k, k + "m")).meta();
    Metapb.Region to = h.cluster.put(FakeCluster.Rg.of(2).keys(k + "m", k + "z")).meta();
    Operator active = h.op("merge-region", 1, OpKind.of(OpKind.MERGE), Priority.MEDIUM,
        new dev.jpd.core.operator.TransferLeader(1, 2), new MergeRegion(from, to, false));
    Operator passive = h.op("merge-region", 2, OpKind.of(OpKind.MERGE), Priority.MEDIUM,
        new MergeRegion(from, to, true));
    assertThat(h.oc.add(active, passive).accepted()).isTrue();
    h.cluster.put(FakeCluster.Rg.of(1).keys(k, k + "g").ver(11));
    h.advance(Duration.ofSeconds(2));
    h.oc.pushOperators();
    assertThat(active.cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);
    assertThat(passive.cancelReason()).isEqualTo(CancelReason.RELATED_MERGE_REGION);
  }

  @Test
  void anUnpairedMergeOperatorIsRefused() {
    Operator[] ops = pair(1, 2);
    AddResult r = h.oc.addWaiting(ops[0]);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).contains("merge operators must come in pairs");
    assertThat(ops[0].status()).isEqualTo(OpStatus.CREATED);
  }

  @Test
  void thePairIsRefusedTogether() {
    Operator[] ops = pair(1, 2);
    h.cluster.put(FakeCluster.Rg.of(2).keys("k1m", "k1z").confVer(11));
    assertThat(h.oc.addWaiting(ops).accepted()).isFalse();
    assertThat(ops[0].cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);
    assertThat(ops[1].cancelReason()).isEqualTo(CancelReason.EPOCH_NOT_MATCH);
    assertThat(h.oc.running()).isEmpty();
  }

  @Test
  void mergeScheduleLimitCountsBothOperatorsAndKeepsTheNextPairWaiting() {
    // merge-schedule-limit 8: four pairs run
    for (long i = 0; i < 4; i++) {
      assertThat(h.oc.addWaiting(pair(10 + 2 * i, 11 + 2 * i)).accepted()).isTrue();
    }
    assertThat(h.oc.count(OpKind.MERGE)).isEqualTo(8);
    Operator[] fifth = pair(30, 31);
    assertThat(h.oc.addWaiting(fifth).accepted()).isTrue();
    assertThat(h.oc.waitingOperators()).containsExactly(fifth[0], fifth[1]);
    h.oc.remove(10, CancelReason.ADMIN_STOP); // ends the first pair
    assertThat(fifth[0].status()).isEqualTo(OpStatus.STARTED);
    assertThat(fifth[1].status()).isEqualTo(OpStatus.STARTED);
  }
}
