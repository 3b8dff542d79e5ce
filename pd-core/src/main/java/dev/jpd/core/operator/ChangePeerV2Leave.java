package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leaves the joint state entered by the matching {@link ChangePeerV2Enter}: an empty
 * ChangePeerV2. TiKV refuses while the leader is a DemotingVoter, so the leader must move first.
 */
public record ChangePeerV2Leave(List<PromoteLearner> promoteLearners, List<DemoteVoter> demoteVoters)
    implements OpStep {
  public ChangePeerV2Leave {
    promoteLearners = List.copyOf(promoteLearners);
    demoteVoters = List.copyOf(demoteVoters);
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    for (PromoteLearner pl : promoteLearners) {
      Metapb.Peer p = region.getStorePeer(pl.toStore());
      if (p == null || p.getId() != pl.peerId() || p.getRole() != Metapb.PeerRole.Voter) {
        return 0;
      }
    }
    for (DemoteVoter dv : demoteVoters) {
      Metapb.Peer p = region.getStorePeer(dv.toStore());
      if (p != null && (p.getId() != dv.peerId() || p.getRole() != Metapb.PeerRole.Learner)) {
        return 0;
      }
    }
    return promoteLearners.size() + demoteVoters.size();
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    for (PromoteLearner pl : promoteLearners) {
      Metapb.Peer p = region.getStorePeer(pl.toStore());
      if (p == null || p.getId() != pl.peerId() || p.getRole() != Metapb.PeerRole.Voter) {
        return false;
      }
    }
    for (DemoteVoter dv : demoteVoters) {
      Metapb.Peer p = region.getStorePeer(dv.toStore());
      if (p != null && (p.getId() != dv.peerId() || p.getRole() != Metapb.PeerRole.Learner)) {
        return false;
      }
    }
    return !Steps.inJointState(region);
  }

  /**
   * Stale when a peer is gone or has a role the joint state cannot have, when the joint state is
   * half left or held by other peers, or while the leader is a demoting voter (TiKV refuses).
   */
  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    return Steps.checkJointRoles("leave joint state", region, promoteLearners, demoteVoters, true);
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {}

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.jointTimeout(regionSizeMiB, promoteLearners.size() + demoteVoters.size());
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    if (!v2) {
      return Optional.empty(); // only ConfChangeV2 can leave a joint state
    }
    return Optional.of(Pdpb.RegionHeartbeatResponse.newBuilder()
        .setChangePeerV2(Pdpb.ChangePeerV2.getDefaultInstance()).build());
  }

  @Override
  public String toString() {
    return Steps.jointText("leave joint state", promoteLearners, demoteVoters);
  }
}
