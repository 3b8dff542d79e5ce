package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Metapb.PeerRole;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The raft model against commands as the PD sends them, with no PD: epochs, roles, delays. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RaftCommandsTest {
  private SimClock clock;
  private SimCluster cluster;
  private RaftCommands commands;
  private long nextId = 1000;
  private final List<List<Metapb.Region>> reported = new ArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new SimClock(1_700_000_000_000L);
    cluster = new SimCluster(clock, SimConfig.defaults());
    commands = new RaftCommands(cluster);
    for (long s = 1; s <= 4; s++) {
      cluster.addStore(s, List.of());
    }
    cluster.setSplitLink(new SimCluster.SplitLink() {
      @Override
      public List<Pdpb.SplitID> askBatchSplit(Metapb.Region region, int count) {
        List<Pdpb.SplitID> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          Pdpb.SplitID.Builder b = Pdpb.SplitID.newBuilder().setNewRegionId(nextId++);
          for (int p = 0; p < region.getPeersCount(); p++) {
            b.addNewPeerIds(nextId++);
          }
          out.add(b.build());
        }
        return out;
      }

      @Override
      public void reportBatchSplit(List<Metapb.Region> regions) {
        reported.add(regions);
      }
    });
  }

  private static Metapb.Peer peer(long id, long store) {
    return Metapb.Peer.newBuilder().setId(id).setStoreId(store).build();
  }

  private SimRegion region(long id, long confVer, long version, Metapb.Peer... peers) {
    Metapb.Region meta = Metapb.Region.newBuilder().setId(id)
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(confVer).setVersion(version))
        .addAllPeers(List.of(peers)).build();
    SimRegion r = cluster.addRegion(meta, peers[0].getId(), 80 * SimConfig.MIB, 1000);
    r.dirty = false;
    return r;
  }

  private Pdpb.RegionHeartbeatResponse.Builder cmd(SimRegion r) {
    return Pdpb.RegionHeartbeatResponse.newBuilder().setRegionId(r.id())
        .setRegionEpoch(r.meta.getRegionEpoch()).setTargetPeer(r.leader());
  }

  private Pdpb.RegionHeartbeatResponse changePeer(SimRegion r, ConfChangeType t, Metapb.Peer p) {
    return cmd(r).setChangePeer(Pdpb.ChangePeer.newBuilder().setChangeType(t).setPeer(p)).build();
  }

  private void tick() {
    clock.advance(1000);
    cluster.runDueTasks();
  }

  @Test
  void addLearnerIsPendingUntilItsSnapshotIsAppliedThenPromotes() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    commands.handle(changePeer(r, ConfChangeType.AddLearnerNode, peer(13, 4)));
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(3);
    tick();
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(4);
    assertThat(r.peer(13).getRole()).isEqualTo(PeerRole.Learner);
    assertThat(r.pending).containsKey(13L);
    assertThat(r.dirty).isTrue();
    assertThat(cluster.stores.get(1L).sending).isEqualTo(1);
    assertThat(cluster.stores.get(4L).receiving).isEqualTo(1);
    // 80 MiB at 40 MiB/s: two seconds of transfer, then one tick of applying.
    tick();
    assertThat(r.pending).containsKey(13L);
    tick();
    assertThat(cluster.stores.get(4L).applying).isEqualTo(1);
    assertThat(cluster.stores.get(1L).sending).isZero();
    tick();
    assertThat(r.pending).isEmpty();
    assertThat(cluster.stores.get(4L).peakSnapshots).isEqualTo(1);

    commands.handle(changePeer(r, ConfChangeType.AddNode, peer(13, 4)));
    tick();
    assertThat(r.peer(13).getRole()).isEqualTo(PeerRole.Voter);
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(5);
    assertThat(cluster.operators).containsEntry("add-learner", 1).containsEntry("promote-learner", 1);
  }

  @Test
  void removePeerBumpsConfVerButTheLeaderIsNeverRemoved() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    commands.handle(changePeer(r, ConfChangeType.RemoveNode, peer(10, 1)));
    tick();
    assertThat(r.meta.getPeersCount()).isEqualTo(3);
    assertThat(cluster.refused).isEqualTo(1);
    commands.handle(changePeer(r, ConfChangeType.RemoveNode, peer(12, 3)));
    tick();
    assertThat(r.meta.getPeersList()).extracting(Metapb.Peer::getId).containsExactly(10L, 11L);
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(4);
  }

  @Test
  void staleEpochAndWrongLeaderAreRefused() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    commands.handle(cmd(r).setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(2).setVersion(1))
        .setChangePeer(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.RemoveNode).setPeer(peer(12, 3)))
        .build());
    commands.handle(cmd(r).setTargetPeer(peer(11, 2))
        .setChangePeer(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.RemoveNode).setPeer(peer(12, 3)))
        .build());
    tick();
    assertThat(r.meta.getPeersCount()).isEqualTo(3);
    assertThat(cluster.refused).isEqualTo(2);
  }

  @Test
  void jointStateEnterAndLeaveMoveConfVerByThePeersChanged() {
    SimRegion r = region(2, 4, 1, peer(10, 1), peer(11, 2), peer(12, 3),
        peer(13, 4).toBuilder().setRole(PeerRole.Learner).build());
    commands.handle(cmd(r).setChangePeerV2(Pdpb.ChangePeerV2.newBuilder()
        .addChanges(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.AddNode).setPeer(peer(13, 4)))
        .addChanges(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.AddLearnerNode).setPeer(peer(12, 3))))
        .build());
    tick();
    assertThat(r.peer(13).getRole()).isEqualTo(PeerRole.IncomingVoter);
    assertThat(r.peer(12).getRole()).isEqualTo(PeerRole.DemotingVoter);
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(6);
    commands.handle(cmd(r).setChangePeerV2(Pdpb.ChangePeerV2.getDefaultInstance()).build());
    tick();
    assertThat(r.peer(13).getRole()).isEqualTo(PeerRole.Voter);
    assertThat(r.peer(12).getRole()).isEqualTo(PeerRole.Learner);
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(8);
    assertThat(r.inJointState()).isFalse();
  }

  @Test
  void aChangePeerV2WithOneChangeIsASimpleConfChangeNotAJointOne() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    commands.handle(cmd(r).setChangePeerV2(Pdpb.ChangePeerV2.newBuilder()
        .addChanges(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.AddLearnerNode)
            .setPeer(peer(13, 4).toBuilder().setRole(PeerRole.Learner))))
        .build());
    tick();
    assertThat(r.peer(13).getRole()).isEqualTo(PeerRole.Learner);
    assertThat(r.inJointState()).isFalse();
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(4);
    commands.handle(cmd(r).setChangePeerV2(Pdpb.ChangePeerV2.newBuilder()
        .addChanges(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.RemoveNode).setPeer(peer(12, 3))))
        .build());
    tick();
    assertThat(r.peer(12)).isNull();
    assertThat(r.inJointState()).isFalse();
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(5);
    assertThat(cluster.operators).containsEntry("add-learner", 1).containsEntry("remove-peer", 1)
        .doesNotContainKey("enter-joint");
  }

  @Test
  void transferLeaderMovesTheLeaderAndTermWithoutTouchingTheEpoch() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    commands.handle(cmd(r).setTransferLeader(Pdpb.TransferLeader.newBuilder().setPeer(peer(12, 3))).build());
    tick();
    assertThat(r.leaderPeerId).isEqualTo(12);
    assertThat(r.term).isEqualTo(2);
    assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(3);
    assertThat(r.dirty).isTrue();
  }

  @Test
  void batchSplitBumpsVersionOnEveryPieceAndTheOriginalKeepsTheRightmost() {
    SimRegion r = region(2, 3, 5, peer(10, 1), peer(11, 2), peer(12, 3));
    List<ByteString> keys = Keys.cuts(ByteString.EMPTY, ByteString.EMPTY, 2);
    cluster.split(r, keys);
    List<SimRegion> sorted = cluster.sortedRegions();
    assertThat(sorted).hasSize(3);
    assertThat(sorted.get(2).id()).isEqualTo(2);
    assertThat(sorted).allSatisfy(x -> assertThat(x.meta.getRegionEpoch().getVersion()).isEqualTo(7));
    assertThat(sorted).allSatisfy(x -> assertThat(x.meta.getRegionEpoch().getConfVer()).isEqualTo(3));
    assertThat(sorted.get(0).meta.getEndKey()).isEqualTo(sorted.get(1).meta.getStartKey());
    assertThat(sorted.get(1).meta.getEndKey()).isEqualTo(r.meta.getStartKey());
    assertThat(sorted.get(0).leader().getStoreId()).isEqualTo(1);
    assertThat(reported).hasSize(1);
    assertThat(reported.get(0)).extracting(Metapb.Region::getId).endsWith(2L);
  }

  @Test
  void writesPastTheSplitSizeSplitTheRegion() {
    SimRegion r = region(2, 1, 1, peer(10, 1));
    cluster.write(r, 10 * SimConfig.MIB, 1000);
    cluster.checkSplits();
    assertThat(cluster.sortedRegions()).hasSize(1);
    cluster.write(r, 30 * SimConfig.MIB, 1000);
    cluster.checkSplits();
    assertThat(cluster.sortedRegions()).hasSize(2);
    assertThat(cluster.sortedRegions()).allSatisfy(x -> assertThat(x.size).isEqualTo(60 * SimConfig.MIB));
    assertThat(r.meta.getRegionEpoch().getVersion()).isEqualTo(2);
  }

  @Test
  void mergeMovesTheRangeToTheTargetWithTiKVsVersions() {
    List<ByteString> k = Keys.cuts(ByteString.EMPTY, ByteString.EMPTY, 1);
    SimRegion left = region(2, 3, 4, peer(10, 1), peer(11, 2), peer(12, 3));
    left.meta = left.meta.toBuilder().setEndKey(k.get(0)).build();
    SimRegion right = region(3, 3, 2, peer(20, 1), peer(21, 2), peer(22, 3));
    right.meta = right.meta.toBuilder().setStartKey(k.get(0)).build();
    commands.handle(cmd(left).setMerge(Pdpb.Merge.newBuilder().setTarget(right.meta)).build());
    tick();
    assertThat(left.meta.getRegionEpoch().getVersion()).isEqualTo(5);
    assertThat(left.meta.getRegionEpoch().getConfVer()).isEqualTo(4);
    tick();
    assertThat(left.removed).isTrue();
    assertThat(right.meta.getStartKey()).isEqualTo(ByteString.EMPTY);
    assertThat(right.meta.getRegionEpoch().getVersion()).isEqualTo(6);
    assertThat(cluster.sortedRegions()).containsExactly(right);
  }

  @Test
  void leadersReportDownPeersWithGrowingSecondsAndElectionMovesALostLeader() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    cluster.stopStore(3);
    clock.advance(5000);
    Pdpb.RegionHeartbeatRequest hb = RegionReports.build(cluster, r);
    assertThat(hb.getDownPeersList()).singleElement()
        .satisfies(d -> assertThat(d.getDownSeconds()).isEqualTo(5));
    assertThat(hb.getPendingPeersList()).extracting(Metapb.Peer::getId).containsExactly(12L);
    clock.advance(20_000);
    assertThat(RegionReports.build(cluster, r).getDownPeers(0).getDownSeconds()).isEqualTo(25);

    cluster.stopStore(1);
    cluster.electLeaders();
    assertThat(r.leaderPeerId).isEqualTo(10);
    clock.advance(cluster.config.electionMillis());
    cluster.electLeaders();
    assertThat(r.leaderPeerId).isEqualTo(11);
    assertThat(r.term).isEqualTo(2);
  }

  @Test
  void storeHeartbeatsCarrySpaceAndFlowAndResetTheFlow() {
    SimRegion r = region(2, 3, 1, peer(10, 1), peer(11, 2), peer(12, 3));
    cluster.write(r, 4 * SimConfig.MIB, 100);
    clock.advance(10_000);
    SimStore follower = cluster.stores.get(2L);
    Pdpb.StoreStats s = follower.stats(clock.nowSeconds(), cluster.usedSize(2), cluster.regionCount(2));
    assertThat(s.getUsedSize()).isEqualTo(84 * SimConfig.MIB);
    assertThat(s.getAvailable()).isEqualTo(s.getCapacity() - 84 * SimConfig.MIB);
    assertThat(s.getRegionCount()).isEqualTo(1);
    assertThat(s.getBytesWritten()).isEqualTo(4 * SimConfig.MIB);
    assertThat(s.getInterval().getEndTimestamp() - s.getInterval().getStartTimestamp()).isEqualTo(10);
    assertThat(follower.stats(clock.nowSeconds(), 0, 0).getBytesWritten()).isZero();
    assertThat(cluster.regionCount(4)).isZero();
    assertThat(cluster.leaderCount(1)).isEqualTo(1);
  }
}
