package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;

/** Helpers shared by the steps: timeouts, peer roles, conf-change commands. */
final class Steps {
  private Steps() {}

  static final Duration FAST_MIN = Duration.ofSeconds(60);
  static final Duration SLOW_MIN = Duration.ofMinutes(10);

  /** max(60 s, 0.6 s per MiB). */
  static Duration fast(long sizeMiB) {
    Duration bySize = Duration.ofMillis(Math.max(0, sizeMiB) * 600);
    return bySize.compareTo(FAST_MIN) > 0 ? bySize : FAST_MIN;
  }

  /** max(10 min, 6 s per MiB). */
  static Duration slow(long sizeMiB) {
    Duration bySize = Duration.ofMillis(Math.max(0, sizeMiB) * 6000);
    return bySize.compareTo(SLOW_MIN) > 0 ? bySize : SLOW_MIN;
  }

  /** The voting peer (any role but Learner) on the store, or null. */
  static Metapb.Peer storeVoter(RegionInfo region, long storeId) {
    Metapb.Peer p = region.getStorePeer(storeId);
    return p != null && p.getRole() != Metapb.PeerRole.Learner ? p : null;
  }

  /** The learner peer on the store, or null. */
  static Metapb.Peer storeLearner(RegionInfo region, long storeId) {
    Metapb.Peer p = region.getStorePeer(storeId);
    return p != null && p.getRole() == Metapb.PeerRole.Learner ? p : null;
  }

  static boolean isPending(RegionInfo region, long peerId) {
    return region.getPendingPeer(peerId) != null;
  }

  static boolean inJointState(RegionInfo region) {
    for (Metapb.Peer p : region.peers()) {
      if (p.getRole() == Metapb.PeerRole.IncomingVoter
          || p.getRole() == Metapb.PeerRole.DemotingVoter) {
        return true;
      }
    }
    return false;
  }

  static Metapb.Peer peer(long peerId, long storeId, Metapb.PeerRole role) {
    return Metapb.Peer.newBuilder().setId(peerId).setStoreId(storeId).setRole(role).build();
  }

  static Pdpb.ChangePeer change(ConfChangeType type, Metapb.Peer peer) {
    return Pdpb.ChangePeer.newBuilder().setChangeType(type).setPeer(peer).build();
  }

  /** One simple conf change, as ChangePeerV2 with one change when the cluster speaks V2. */
  static Pdpb.RegionHeartbeatResponse confChange(Pdpb.ChangePeer change, boolean v2) {
    Pdpb.RegionHeartbeatResponse.Builder b = Pdpb.RegionHeartbeatResponse.newBuilder();
    if (v2) {
      b.setChangePeerV2(Pdpb.ChangePeerV2.newBuilder().addChanges(change));
    } else {
      b.setChangePeer(change);
    }
    return b.build();
  }
}
