package dev.jpd.core.operator;

import static dev.jpd.core.operator.Regions.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The creation functions: what each makes, with PD's descriptions, briefs and kinds. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperatorCreatorTest {
  private final FakeCluster cluster = new FakeCluster();

  private static List<String> steps(Operator op) {
    return op.steps().stream().map(Object::toString).toList();
  }

  @Test
  void transferLeaderWorksEvenInAJointState() {
    Operator op = OperatorCreator.createTransferLeaderOperator("admin-transfer-leader", cluster,
        region("1* 2 D3 I4"), 2, List.of(), OpKind.of(OpKind.ADMIN), 5).orElseThrow();
    assertThat(steps(op)).containsExactly("transfer leader from store 1 to store 2");
    assertThat(OpKind.toString(op.kinds())).isEqualTo("admin,leader");
    assertThat(op.brief()).isEqualTo("transfer leader: store 1 to 2");
    assertThat(op.priority()).isEqualTo(Priority.URGENT);
    assertThat(op.createMillis()).isEqualTo(5);
  }

  @Test
  void multiTargetTransferLeaderCarriesTheOtherStores() {
    Operator op = OperatorCreator.createTransferLeaderOperator("evict-leader-scheduler", cluster,
        region("1* 2 3 L4"), 2, List.of(4L, 3L, 2L), 0, 0).orElseThrow();
    TransferLeader t = (TransferLeader) op.step(0);
    assertThat(t.toStores()).as("learner 4 skipped, sorted").containsExactly(2L, 3L);
    assertThat(op.brief()).isEqualTo(
        "evict leader: from store 1 to one in [2 3], or to 2 (for compatibility)");
  }

  @Test
  void moveRegionToNewStoresWithALeader() {
    Map<Long, OperatorBuilder.Role> roles = new TreeMap<>(Map.of(
        4L, OperatorBuilder.Role.LEADER, 5L, OperatorBuilder.Role.VOTER,
        6L, OperatorBuilder.Role.LEARNER));
    Operator op = OperatorCreator.createMoveRegionOperator("admin-move-region", cluster,
        region("1* 2 3"), OpKind.of(OpKind.ADMIN), roles, 0).orElseThrow();
    assertThat(op.desc()).isEqualTo("admin-move-region");
    assertThat(OpKind.toString(op.kinds())).isEqualTo("admin,region,leader");
    assertThat(steps(op)).containsExactly(
        "add learner peer 100 on store 4",
        "add learner peer 101 on store 5",
        "add learner peer 102 on store 6",
        "use joint consensus, promote learner peer 100 on store 4 to voter, promote learner peer"
            + " 101 on store 5 to voter, demote voter peer 1 on store 1 to learner, demote voter"
            + " peer 2 on store 2 to learner, demote voter peer 3 on store 3 to learner",
        "transfer leader from store 1 to store 4",
        "leave joint state, promote learner peer 100 on store 4 to voter, promote learner peer"
            + " 101 on store 5 to voter, demote voter peer 1 on store 1 to learner, demote voter"
            + " peer 2 on store 2 to learner, demote voter peer 3 on store 3 to learner",
        "remove peer on store 1", "remove peer on store 2", "remove peer on store 3");
  }

  @Test
  void moveRegionNeverPicksAFollowerStoreAsLeader() {
    Map<Long, OperatorBuilder.Role> roles = new TreeMap<>(Map.of(
        1L, OperatorBuilder.Role.FOLLOWER, 2L, OperatorBuilder.Role.VOTER,
        3L, OperatorBuilder.Role.VOTER));
    Operator op = OperatorCreator.createMoveRegionOperator("admin-move-region", cluster,
        region("1* 2 3"), 0, roles, 0).orElseThrow();
    assertThat(steps(op)).containsExactly("transfer leader from store 1 to store 2");
  }

  @Test
  void movePeerIsPdsReplacePeer() {
    Operator op = OperatorCreator.createMovePeerOperator("replace-rule-offline-peer", cluster,
        region("1* 2 3"), OpKind.of(OpKind.REPLICA), 3, Regions.voter(4), 0).orElseThrow();
    assertThat(op.brief()).isEqualTo("mv peer: store [3] to [4]");
    assertThat(OpKind.toString(op.kinds())).isEqualTo("replica,region");
    assertThat(steps(op)).hasSize(4).first().isEqualTo("add learner peer 100 on store 4");
  }

  @Test
  void moveLeaderReplacesTheLeaderAndLeadsFromTheNewPeer() {
    Operator op = OperatorCreator.createMoveLeaderOperator("move-leader", cluster,
        region("1* 2 3"), 0, 1, Regions.voter(4), 0).orElseThrow();
    assertThat(steps(op)).contains("transfer leader from store 1 to store 4");
    assertThat(steps(op).get(steps(op).size() - 1)).isEqualTo("remove peer on store 1");
  }

  @Test
  void singlePeerCreators() {
    RegionInfo r = region("1* 2 L3");
    assertThat(steps(OperatorCreator.createAddLearnerOperator("add-learner", cluster, r, 4,
        OpKind.of(OpKind.ADMIN), 0).orElseThrow()))
        .containsExactly("add learner peer 100 on store 4");
    assertThat(steps(OperatorCreator.createAddPeerOperator("add-peer", cluster, r,
        Regions.voter(5), 0, 0).orElseThrow())).containsExactly(
        "add learner peer 101 on store 5", "promote learner peer 101 on store 5 to voter");
    assertThat(steps(OperatorCreator.createRemovePeerOperator("remove-peer", cluster, 0, r, 2, 0)
        .orElseThrow())).containsExactly("remove peer on store 2");
    assertThat(steps(OperatorCreator.createPromoteLearnerOperator("promote", cluster, r, 3, 0)
        .orElseThrow())).containsExactly("promote learner peer 3 on store 3 to voter");
    assertThat(steps(OperatorCreator.createDemoteVoterOperator("demote", cluster, r, 2, 0)
        .orElseThrow())).containsExactly("use joint consensus, demote voter peer 2 on store 2"
        + " to learner");
    BuildResult<Operator> twice = OperatorCreator.createAddPeerOperator("add-peer", cluster, r,
        Regions.voter(2), 0, 0);
    assertThat(twice.ok()).isFalse();
    assertThatThrownBy(twice::orElseThrow).hasMessageContaining("store 2 already has peer");
  }

  @Test
  void splitNamesPolicyAndHexKeys() {
    RegionInfo r = region("1* 2 3", 10, "a", "z");
    Operator op = OperatorCreator.createSplitRegionOperator("admin-split-region", r,
        OpKind.of(OpKind.ADMIN), Pdpb.CheckPolicy.USEKEY,
        List.of(ByteString.copyFromUtf8("g"), ByteString.copyFromUtf8("p")), 0).orElseThrow();
    assertThat(op.brief()).isEqualTo("split: region 1 use policy USEKEY and keys [67 70]");
    assertThat(OpKind.toString(op.kinds())).isEqualTo("admin,split");
    assertThat(op.additionalInfo()).containsEntry("region-start-key", "61")
        .containsEntry("region-end-key", "7A");
    assertThat(((SplitRegion) op.step(0)).splitKeys()).hasSize(2);
    assertThat(OperatorCreator.createSplitRegionOperator("split", region("1* D2 I3"), 0,
        Pdpb.CheckPolicy.SCAN, List.of(), 0).errors()).singleElement().asString()
        .contains("joint state");
  }

  @Test
  void mergeOfAlignedRegionsIsTheLinkedPair() {
    RegionInfo source = Regions.region(2, "1* 2 3", 5, "a", "m");
    RegionInfo target = Regions.region(3, "2* 3 1", 8, "m", "z");
    MergePair pair = OperatorCreator.createMergeRegionOperator("merge-region", cluster, source,
        target, OpKind.of(OpKind.MERGE), 7).orElseThrow();
    assertThat(steps(pair.active())).containsExactly("merge region 2 into region 3");
    assertThat(steps(pair.passive())).containsExactly("merge region 2 into region 3 (passive)");
    assertThat(pair.active().regionId()).isEqualTo(2);
    assertThat(pair.passive().regionId()).isEqualTo(3);
    assertThat(pair.passive().epoch()).isEqualTo(target.epoch());
    assertThat(pair.active().createMillis()).isEqualTo(pair.passive().createMillis()).isEqualTo(7);
    assertThat(pair.active().brief()).isEqualTo("merge: region 2 to 3");
    assertThat(OpKind.toString(pair.active().kinds())).isEqualTo("merge");
    assertThat(((MergeRegion) pair.passive().step(0)).isPassive()).isTrue();
  }

  @Test
  void mergeFirstMovesTheSourcePeersOntoTheTargetStores() {
    RegionInfo source = Regions.region(2, "1* 2 3", 5, "a", "m");
    RegionInfo target = Regions.region(3, "1* 2 4", 8, "m", "z");
    MergePair pair = OperatorCreator.createMergeRegionOperator("merge-region", cluster, source,
        target, OpKind.of(OpKind.MERGE), 0).orElseThrow();
    assertThat(steps(pair.active())).hasSize(5).startsWith("add learner peer 100 on store 4")
        .endsWith("remove peer on store 3", "merge region 2 into region 3");
    assertThat(OpKind.toString(pair.active().kinds())).isEqualTo("merge,region");
    assertThat(OpKind.toString(pair.passive().kinds())).isEqualTo("merge,region");
    assertThat(OperatorCreator.createMergeRegionOperator("merge-region", cluster,
        Regions.region(2, "1* D2 I4", 5, "a", "m"), target, 0, 0).ok()).isFalse();
  }

  @Test
  void leaveJointStateKeepsAHealthyLeader() {
    Operator op = OperatorCreator.createLeaveJointStateOperator(
        OperatorCreator.DESC_LEAVE_JOINT_STATE, cluster, region("1* 2 D3 I4"), 0).orElseThrow();
    assertThat(steps(op)).containsExactly("leave joint state, promote learner peer 4 on store 4"
        + " to voter, demote voter peer 3 on store 3 to learner");
    assertThat(op.kinds()).isZero();
    assertThat(op.priority()).isEqualTo(Priority.HIGH);
  }

  @Test
  void leaveJointStateMovesTheLeaderOffADemotingVoterFirst() {
    Operator op = OperatorCreator.createLeaveJointStateOperator("leave-joint-state", cluster,
        region("1 2 D3* I4"), 0).orElseThrow();
    assertThat(steps(op)).containsExactly("transfer leader from store 3 to store 1",
        "leave joint state, promote learner peer 4 on store 4 to voter, demote voter peer 3 on"
            + " store 3 to learner");
    assertThat(OpKind.toString(op.kinds())).isEqualTo("leader");
    assertThat(OperatorCreator.createLeaveJointStateOperator("leave-joint-state", cluster,
        region("1* 2 3"), 0).errors()).singleElement().asString().contains("not in joint state");
  }
}
