package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegionInfoTest {
  private static final long MIB = 1L << 20;

  @ParameterizedTest(name = "{0} bytes -> {1} MiB")
  @CsvSource({
    "0, 0",
    "1, 1",
    "1048575, 1",
    "1048576, 1",
    "2097151, 1",
    "2097152, 2",
    "100663296, 96",
    // 2^64 - 1 bytes, unsigned: 2^44 - 1 MiB
    "-1, 17592186044415",
  })
  void approximateSizeIsFlooredMiBButAtLeastOneWhenNotEmpty(long bytes, long mib) {
    assertThat(Hb.of(1, "a", "b").sizeBytes(bytes).info().approximateSize()).isEqualTo(mib);
  }

  @Test
  void zeroSizeInheritsTheCachedSizeOrOne() {
    RegionInfo cached = Hb.of(1, "a", "b").sizeMiB(40).info();
    RegionInfo zero = Hb.of(1, "a", "b").info();
    assertThat(zero.approximateSize()).isZero();
    assertThat(zero.inheritApproximateSize(cached).approximateSize()).isEqualTo(40);
    assertThat(zero.inheritApproximateSize(null).approximateSize()).isEqualTo(1);
    RegionInfo sized = Hb.of(1, "a", "b").sizeMiB(3).info();
    assertThat(sized.inheritApproximateSize(cached)).isSameAs(sized);
  }

  @Test
  void impossibleFlowsAreDropped() {
    long impossible = 1L << 50;
    RegionInfo r =
        RegionInfo.fromHeartbeat(
            Hb.of(1, "a", "b").request().toBuilder()
                .setBytesWritten(impossible).setKeysWritten(7)
                .setBytesRead(impossible - 1).setKeysRead(-1L)
                .build());
    assertThat(r.writtenBytes()).isZero();
    assertThat(r.writtenKeys()).as("the pair goes together").isZero();
    assertThat(r.readBytes()).as("keys of 2^64-1 are impossible too").isZero();
    RegionInfo ok =
        RegionInfo.fromHeartbeat(
            Hb.of(1, "a", "b").request().toBuilder()
                .setBytesWritten(impossible - 1).setKeysWritten(9).build());
    assertThat(ok.writtenBytes()).isEqualTo(impossible - 1);
    assertThat(ok.writtenKeys()).isEqualTo(9);
  }

  @Test
  void carriesTheHeartbeatFields() {
    Pdpb.RegionHeartbeatRequest hb =
        Hb.of(7, "a", "b").epoch(3, 4).stores(1, 2, 3).leader(2).keys(55).written(11).read(12)
            .term(9).request().toBuilder()
            .setKeysRead(13).setKeysWritten(14)
            .setInterval(Pdpb.TimeInterval.newBuilder().setStartTimestamp(100).setEndTimestamp(160))
            .build();
    RegionInfo r = RegionInfo.fromHeartbeat(hb);
    assertThat(r.id()).isEqualTo(7);
    assertThat(r.startKey()).isEqualTo(Hb.key("a"));
    assertThat(r.endKey()).isEqualTo(Hb.key("b"));
    assertThat(r.version()).isEqualTo(3);
    assertThat(r.confVer()).isEqualTo(4);
    assertThat(r.leader()).isEqualTo(Hb.peer(7, 2));
    assertThat(r.leaderStoreId()).isEqualTo(2);
    assertThat(r.approximateKeys()).isEqualTo(55);
    assertThat(r.writtenBytes()).isEqualTo(11);
    assertThat(r.readBytes()).isEqualTo(12);
    assertThat(r.readKeys()).isEqualTo(13);
    assertThat(r.writtenKeys()).isEqualTo(14);
    assertThat(r.term()).isEqualTo(9);
    assertThat(r.interval().getEndTimestamp()).isEqualTo(160);
    assertThat(r.loadedFromStorage()).isFalse();
    assertThat(r.meta()).isEqualTo(hb.getRegion());
  }

  @Test
  void downAndPendingPeersAreSortedAndUnmodifiable() {
    RegionInfo r = Hb.of(1, "a", "b").stores(1, 2, 3, 4).down(4, 2).pending(3, 2).info();
    assertThat(r.downPeers()).extracting(s -> s.getPeer().getStoreId()).containsExactly(2L, 4L);
    assertThat(r.pendingPeers()).extracting(Metapb.Peer::getStoreId).containsExactly(2L, 3L);
    assertThat(r.getDownPeer(104)).isEqualTo(Hb.peer(1, 4));
    assertThat(r.getDownPeer(103)).isNull();
    assertThat(r.getPendingPeer(103)).isEqualTo(Hb.peer(1, 3));
    assertThat(r.getPendingPeer(101)).isNull();
    assertThatThrownBy(() -> r.pendingPeers().add(Hb.peer(1, 9)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.downPeers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.peers().remove(0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fromMetaHasNoLeaderAndNoStatistics() {
    RegionInfo r = Hb.of(3, "", "k").stores(4, 5).stored();
    assertThat(r.hasLeader()).isFalse();
    assertThat(r.leader()).isEqualTo(Metapb.Peer.getDefaultInstance());
    assertThat(r.leaderStoreId()).isZero();
    assertThat(r.loadedFromStorage()).isTrue();
    assertThat(r.approximateSize()).isZero();
    assertThat(r.downPeers()).isEmpty();
    assertThat(r.followers()).extracting(Metapb.Peer::getStoreId).containsExactly(4L, 5L);
    RegionInfo led = RegionInfo.fromMeta(r.meta(), Hb.peer(3, 5));
    assertThat(led.hasLeader()).isTrue();
    assertThat(led.leaderStoreId()).isEqualTo(5);
  }

  @Test
  void peerLookupsAndRoles() {
    RegionInfo r = Hb.of(2, "a", "b").stores(1, 2).learners(3).leader(2).info();
    assertThat(r.getStorePeer(3)).isEqualTo(Hb.peer(2, 3).toBuilder()
        .setRole(Metapb.PeerRole.Learner).build());
    assertThat(r.getStorePeer(9)).isNull();
    assertThat(r.getPeer(201)).isEqualTo(Hb.peer(2, 1));
    assertThat(r.getPeer(209)).isNull();
    assertThat(r.voters()).extracting(Metapb.Peer::getStoreId).containsExactly(1L, 2L);
    assertThat(r.learners()).extracting(Metapb.Peer::getStoreId).containsExactly(3L);
    assertThat(r.followers()).extracting(Metapb.Peer::getStoreId).containsExactly(1L);
  }

  @Test
  void rangeHelpersAndToString() {
    RegionInfo r = Hb.of(2, "a", "\\x80").epoch(3, 4).info();
    assertThat(r.contains(Hb.key("a"))).isTrue();
    assertThat(r.contains(Hb.key("\\x7F\\xFF"))).isTrue();
    assertThat(r.contains(Hb.key("\\x80"))).isFalse();
    assertThat(r.sameRange(Hb.of(9, "a", "\\x80").info())).isTrue();
    assertThat(r.sameRange(Hb.of(2, "a", "").info())).isFalse();
    assertThat(r.toString())
        .isEqualTo("region{id=2 [61, 80) ver=3 conf_ver=4 leader=store 1 "
            + "peers=[201@1, 202@2, 203@3]}");
  }

  @Test
  void metaIsRebuiltEqualToTheReportedRegion() {
    Metapb.Region plain = Hb.of(4, "a", "\\xFF").epoch(3, 4).stores(1, 2).learners(3).meta();
    Metapb.Region roles =
        plain.toBuilder()
            .setPeers(0, plain.getPeers(0).toBuilder().setRole(Metapb.PeerRole.IncomingVoter))
            .setPeers(1, plain.getPeers(1).toBuilder().setIsWitness(true))
            .build();
    Metapb.Region flashback = plain.toBuilder().setIsInFlashback(true).setFlashbackStartTs(9)
        .build();
    Metapb.Region noEpoch = plain.toBuilder().clearRegionEpoch().build();
    Metapb.Region wholeKeySpace = Hb.of(1, "", "").meta();
    for (Metapb.Region meta : new Metapb.Region[] {plain, roles, flashback, noEpoch,
        wholeKeySpace}) {
      RegionInfo r = RegionInfo.fromMeta(meta, meta.getPeers(1));
      assertThat(r.meta()).isEqualTo(meta);
      assertThat(r.peers()).isEqualTo(meta.getPeersList());
      assertThat(r.epoch()).isEqualTo(meta.getRegionEpoch());
      assertThat(r.leader()).isEqualTo(meta.getPeers(1));
      assertThat(r.startKey()).isEqualTo(meta.getStartKey());
      assertThat(r.endKey()).isEqualTo(meta.getEndKey());
      // the compact view answers as the built peers do
      assertThat(r.leaderId()).isEqualTo(meta.getPeers(1).getId());
      assertThat(r.peerCount()).isEqualTo(meta.getPeersCount());
      boolean joint = false;
      for (int i = 0; i < r.peerCount(); i++) {
        Metapb.Peer p = meta.getPeers(i);
        assertThat(r.peerId(i)).isEqualTo(p.getId());
        assertThat(r.peerStoreId(i)).isEqualTo(p.getStoreId());
        assertThat(r.peerIsLearner(i)).isEqualTo(p.getRole() == Metapb.PeerRole.Learner);
        boolean jointRole = p.getRole() == Metapb.PeerRole.IncomingVoter
            || p.getRole() == Metapb.PeerRole.DemotingVoter;
        assertThat(r.peerInJointRole(i)).isEqualTo(jointRole);
        joint |= jointRole;
      }
      assertThat(r.inJointState()).isEqualTo(joint);
    }
    assertThat(RegionInfo.fromMeta(roles, null).inJointState()).isTrue();
  }

  @Test
  void aLeaderThatIsNotExactlyOneOfThePeersIsKeptAsReported() {
    Metapb.Peer oddRole = Hb.peer(5, 2).toBuilder().setRole(Metapb.PeerRole.Learner).build();
    RegionInfo r = RegionInfo.fromMeta(Hb.of(5, "a", "b").meta(), oddRole);
    assertThat(r.leader()).isEqualTo(oddRole);
    assertThat(r.leaderStoreId()).isEqualTo(2);
    assertThat(r.hasLeader()).isTrue();
    assertThat(r.followers()).extracting(Metapb.Peer::getStoreId).containsExactly(1L, 3L);
  }

  @Test
  void intervalRoundTrips() {
    Pdpb.TimeInterval interval =
        Pdpb.TimeInterval.newBuilder().setStartTimestamp(5).setEndTimestamp(65).build();
    RegionInfo r =
        RegionInfo.fromHeartbeat(Hb.of(1, "a", "b").request().toBuilder().setInterval(interval)
            .build());
    assertThat(r.interval()).isEqualTo(interval);
    assertThat(Hb.of(1, "a", "b").info().interval())
        .isEqualTo(Pdpb.TimeInterval.getDefaultInstance());
  }
}
