package dev.jpd.core.operator;

import static dev.jpd.core.operator.Regions.region;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each step sends to the leader, and how long it may take. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StepCommandTest {

  private static final RegionInfo REGION = region("1* 2 3 L5:50");

  static Metapb.Peer peer(long id, long store, Metapb.PeerRole role) {
    return Metapb.Peer.newBuilder().setId(id).setStoreId(store).setRole(role).build();
  }

  static Pdpb.ChangePeer change(ConfChangeType t, Metapb.Peer p) {
    return Pdpb.ChangePeer.newBuilder().setChangeType(t).setPeer(p).build();
  }

  /** Simple conf changes: ChangePeer without V2, ChangePeerV2 with exactly one change with it. */
  static Stream<Arguments> simpleChanges() {
    return Stream.of(
        Arguments.of(new AddLearner(4, 100),
            change(ConfChangeType.AddLearnerNode, peer(100, 4, Metapb.PeerRole.Learner))),
        Arguments.of(new AddPeer(4, 100),
            change(ConfChangeType.AddNode, peer(100, 4, Metapb.PeerRole.Voter))),
        Arguments.of(new PromoteLearner(5, 50),
            change(ConfChangeType.AddNode, peer(50, 5, Metapb.PeerRole.Voter))),
        Arguments.of(new DemoteVoter(3, 3),
            change(ConfChangeType.AddLearnerNode, peer(3, 3, Metapb.PeerRole.Learner))),
        Arguments.of(new RemovePeer(3, 3),
            change(ConfChangeType.RemoveNode, peer(3, 3, Metapb.PeerRole.Voter))),
        Arguments.of(new RemovePeer(5, 50),
            change(ConfChangeType.RemoveNode, peer(50, 5, Metapb.PeerRole.Learner))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("simpleChanges")
  void simpleChangeV1AndV2(OpStep step, Pdpb.ChangePeer expected) {
    Pdpb.RegionHeartbeatResponse v1 = step.command(REGION, false).orElseThrow();
    assertThat(v1.getChangePeer()).isEqualTo(expected);
    assertThat(v1.hasChangePeerV2()).isFalse();

    Pdpb.RegionHeartbeatResponse v2 = step.command(REGION, true).orElseThrow();
    assertThat(v2.hasChangePeer()).isFalse();
    assertThat(v2.getChangePeerV2().getChangesList()).containsExactly(expected);
  }

  @Test
  void anAddedPeerWaitingForItsSnapshotIsNotAddedAgain() {
    RegionInfo pending = region("1* 2 3 L4:100~");
    assertThat(new AddLearner(4, 100).command(pending, true)).isEmpty();
    assertThat(new AddPeer(4, 100).command(pending, false)).isEmpty();
  }

  @Test
  void enterSendsAllChangesInOneChangePeerV2AndNothingWithoutV2() {
    ChangePeerV2Enter enter = new ChangePeerV2Enter(
        List.of(new PromoteLearner(5, 50)), List.of(new DemoteVoter(3, 3)));
    Pdpb.RegionHeartbeatResponse r = enter.command(REGION, true).orElseThrow();
    assertThat(r.getChangePeerV2().getChangesList()).containsExactly(
        change(ConfChangeType.AddNode, peer(50, 5, Metapb.PeerRole.Voter)),
        change(ConfChangeType.AddLearnerNode, peer(3, 3, Metapb.PeerRole.Learner)));
    assertThat(r.hasChangePeer()).isFalse();
    assertThat(enter.command(REGION, false)).isEmpty();
  }

  @Test
  void leaveSendsAnEmptyChangePeerV2AndNothingWithoutV2() {
    ChangePeerV2Leave leave = new ChangePeerV2Leave(
        List.of(new PromoteLearner(5, 50)), List.of(new DemoteVoter(3, 3)));
    Pdpb.RegionHeartbeatResponse r = leave.command(REGION, true).orElseThrow();
    assertThat(r.hasChangePeerV2()).isTrue();
    assertThat(r.getChangePeerV2().getChangesCount()).isZero();
    assertThat(leave.command(REGION, false)).isEmpty();
  }

  @Test
  void transferLeaderNamesTheTargetPeerAndTheOtherAcceptableOnes() {
    Pdpb.TransferLeader t = new TransferLeader(1, 2, List.of(3L, 9L)).command(REGION, true)
        .orElseThrow().getTransferLeader();
    assertThat(t.getPeer()).isEqualTo(peer(2, 2, Metapb.PeerRole.Voter));
    assertThat(t.getPeersList()).containsExactly(peer(3, 3, Metapb.PeerRole.Voter));
    assertThat(new TransferLeader(1, 7).command(REGION, true)).isEmpty();
  }

  @Test
  void mergeSendsTheTargetOnlyFromTheActiveSide() {
    Metapb.Region source = StepProgressTest.meta(2, "a", "m");
    Metapb.Region target = StepProgressTest.meta(1, "m", "z");
    assertThat(new MergeRegion(source, target, false).command(REGION, true).orElseThrow()
        .getMerge().getTarget()).isEqualTo(target);
    assertThat(new MergeRegion(source, target, true).command(REGION, true)).isEmpty();
  }

  @Test
  void splitSendsPolicyAndKeys() {
    List<ByteString> keys = List.of(ByteString.copyFromUtf8("g"), ByteString.copyFromUtf8("p"));
    Pdpb.SplitRegion s = new SplitRegion(ByteString.copyFromUtf8("a"),
        ByteString.copyFromUtf8("z"), Pdpb.CheckPolicy.USEKEY, keys)
        .command(REGION, false).orElseThrow().getSplitRegion();
    assertThat(s.getPolicy()).isEqualTo(Pdpb.CheckPolicy.USEKEY);
    assertThat(s.getKeysList()).isEqualTo(keys);
  }

  // ---- timeouts: fast max(60 s, 0.6 s/MiB), slow max(10 min, 6 s/MiB) ----

  static Stream<Arguments> timeouts() {
    OpStep enter2 = new ChangePeerV2Enter(List.of(new PromoteLearner(5, 50)),
        List.of(new DemoteVoter(3, 3)));
    MergeRegion merge = new MergeRegion(StepProgressTest.meta(2, "a", "m"),
        StepProgressTest.meta(1, "m", "z"), false);
    return Stream.of(
        Arguments.of(new TransferLeader(1, 2), 0L, Duration.ofSeconds(60)),
        Arguments.of(new TransferLeader(1, 2), 100L, Duration.ofSeconds(60)),
        Arguments.of(new TransferLeader(1, 2), 1000L, Duration.ofSeconds(600)),
        Arguments.of(new RemovePeer(3, 3), 200L, Duration.ofSeconds(120)),
        Arguments.of(new PromoteLearner(5, 50), 50L, Duration.ofSeconds(60)),
        Arguments.of(new AddLearner(4, 100), 0L, Duration.ofMinutes(10)),
        Arguments.of(new AddLearner(4, 100), 100L, Duration.ofMinutes(10)),
        Arguments.of(new AddLearner(4, 100), 1000L, Duration.ofSeconds(6000)),
        Arguments.of(new AddPeer(4, 100), 200L, Duration.ofSeconds(1200)),
        Arguments.of(enter2, 0L, Duration.ofSeconds(180)),
        Arguments.of(enter2, 1000L, Duration.ofSeconds(1800)),
        Arguments.of(merge, 10L, Duration.ofSeconds(600)),
        Arguments.of(StepProgressTest.split(), 10L, Duration.ofSeconds(60)));
  }

  @ParameterizedTest(name = "{0} for {1} MiB")
  @MethodSource("timeouts")
  void timeoutIsSizeAware(OpStep step, long sizeMiB, Duration expected) {
    assertThat(step.timeout(sizeMiB)).isEqualTo(expected);
  }

  @Test
  void lightWeightLearnerSpendsNoAddPeerLimit() {
    RegionInfo big = region("1* 2 3", 100);
    OpInfluence normal = new OpInfluence();
    new AddLearner(4, 100).influence(normal, big);
    OpInfluence light = new OpInfluence();
    new AddLearner(4, 100, true).influence(light, big);
    assertThat(normal.get(4).stepCost(LimitType.ADD_PEER)).isEqualTo(LimitType.REGION_INFLUENCE);
    assertThat(light.get(4).stepCost(LimitType.ADD_PEER)).isZero();
    assertThat(light.get(4).regionSize).isEqualTo(100);
    assertThat(Optional.ofNullable(light.get(1))).isEmpty();
  }
}
