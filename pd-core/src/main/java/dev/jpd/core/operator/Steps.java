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

  /**
   * The roles a joint change may find its peers in: before entering, promoted peers are
   * learners and demoted ones voters; in the joint state, IncomingVoter and DemotingVoter; after
   * leaving, Voter and Learner. {@code leaving} refuses the roles from before the change, and a
   * demoting leader.
   */
  static java.util.Optional<String> checkJointRoles(String what, RegionInfo region,
      java.util.List<PromoteLearner> promotes, java.util.List<DemoteVoter> demotes,
      boolean leaving) {
    boolean in = false;
    boolean notIn = false;
    for (PromoteLearner pl : promotes) {
      Metapb.Peer p = region.getStorePeer(pl.toStore());
      if (p == null || p.getId() != pl.peerId()) {
        return java.util.Optional.of(what + ": peer " + pl.peerId() + " not found on store "
            + pl.toStore());
      }
      switch (p.getRole()) {
        case IncomingVoter -> in = true;
        case Voter -> notIn = true;
        case Learner -> {
          if (leaving) {
            return java.util.Optional.of(what + ": peer " + p.getId() + " is still a learner");
          }
          notIn = true;
        }
        default -> {
          return java.util.Optional.of(what + ": cannot promote peer " + p.getId() + " with role "
              + p.getRole());
        }
      }
    }
    for (DemoteVoter dv : demotes) {
      Metapb.Peer p = region.getStorePeer(dv.toStore());
      if (p == null || p.getId() != dv.peerId()) {
        return java.util.Optional.of(what + ": peer " + dv.peerId() + " not found on store "
            + dv.toStore());
      }
      switch (p.getRole()) {
        case DemotingVoter -> {
          in = true;
          if (leaving && p.getStoreId() == region.leaderStoreId()) {
            return java.util.Optional.of(what + ": the leader " + p.getId()
                + " is a demoting voter");
          }
        }
        case Learner -> notIn = true;
        case Voter -> {
          if (leaving) {
            return java.util.Optional.of(what + ": peer " + p.getId() + " is still a voter");
          }
          notIn = true;
        }
        default -> {
          return java.util.Optional.of(what + ": cannot demote peer " + p.getId() + " with role "
              + p.getRole());
        }
      }
    }
    int inJoint = 0;
    for (Metapb.Peer p : region.peers()) {
      if (p.getRole() == Metapb.PeerRole.IncomingVoter
          || p.getRole() == Metapb.PeerRole.DemotingVoter) {
        inJoint++;
      }
    }
    if (in && notIn) {
      return java.util.Optional.of(what + ": non-atomic joint consensus");
    }
    if (notIn && inJoint != 0) {
      return java.util.Optional.of(what + ": other peers are in joint state");
    }
    if (in && inJoint != promotes.size() + demotes.size()) {
      return java.util.Optional.of(what + ": other peers are in joint state");
    }
    return java.util.Optional.empty();
  }
}
