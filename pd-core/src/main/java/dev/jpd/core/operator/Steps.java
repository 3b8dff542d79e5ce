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
    return jointPeerCount(region) > 0;
  }

  /** Peers in a joint-state role (IncomingVoter or DemotingVoter). */
  static int jointPeerCount(RegionInfo region) {
    int n = 0;
    for (Metapb.Peer p : region.peers()) {
      if (p.getRole() == Metapb.PeerRole.IncomingVoter
          || p.getRole() == Metapb.PeerRole.DemotingVoter) {
        n++;
      }
    }
    return n;
  }

  /**
   * Why adding {@code peerId} on the store is stale: another peer already sits there. {@code
   * what} names the added peer ("peer", "learner") in the message.
   */
  static java.util.Optional<String> otherPeerOnStore(
      RegionInfo region, long toStore, long peerId, String what) {
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p != null && p.getId() != peerId) {
      return java.util.Optional.of("peer " + p.getId() + " has already existed in store " + toStore
          + ", the operator is trying to add " + what + " " + peerId + " on the same store");
    }
    return java.util.Optional.empty();
  }

  /** A new peer on the store: one more region there, and (unless light) its add-peer cost. */
  static void addedPeerInfluence(
      OpInfluence influence, RegionInfo region, long toStore, boolean chargeLimit) {
    OpInfluence.StoreInfluence to = influence.store(toStore);
    to.regionSize += region.approximateSize();
    to.regionCount++;
    if (chargeLimit) {
      to.adjustStepCost(LimitType.ADD_PEER, region.approximateSize());
    }
  }

  /**
   * The command adding a peer, or nothing once a peer is on the store: it was added and is
   * waiting for its snapshot.
   */
  static java.util.Optional<Pdpb.RegionHeartbeatResponse> addPeerCommand(RegionInfo region,
      long toStore, long peerId, ConfChangeType type, Metapb.PeerRole role, boolean v2) {
    if (region.getStorePeer(toStore) != null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(confChange(change(type, peer(peerId, toStore, role)), v2));
  }

  /** A joint change's timeout: a fast step per change, plus one. */
  static Duration jointTimeout(long sizeMiB, int changes) {
    return fast(sizeMiB).multipliedBy(changes + 1);
  }

  /** A joint step's text: the prefix, then each promotion and demotion as its step says it. */
  static String jointText(String prefix, java.util.List<PromoteLearner> promotes,
      java.util.List<DemoteVoter> demotes) {
    StringBuilder b = new StringBuilder(prefix);
    promotes.forEach(pl -> b.append(", ").append(pl));
    demotes.forEach(dv -> b.append(", ").append(dv));
    return b.toString();
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
    int inJoint = jointPeerCount(region);
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
