package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Enters a joint state: promotes learners (they become IncomingVoter) and demotes voters (they
 * become DemotingVoter) in one ConfChangeV2. TiKV moves conf_ver by the number of changes.
 */
public record ChangePeerV2Enter(List<PromoteLearner> promoteLearners, List<DemoteVoter> demoteVoters)
    implements OpStep {
  public ChangePeerV2Enter {
    promoteLearners = List.copyOf(promoteLearners);
    demoteVoters = List.copyOf(demoteVoters);
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    for (PromoteLearner pl : promoteLearners) {
      Metapb.Peer p = region.getStorePeer(pl.toStore());
      if (p == null || p.getId() != pl.peerId()
          || !(p.getRole() == Metapb.PeerRole.IncomingVoter || p.getRole() == Metapb.PeerRole.Voter)) {
        return 0;
      }
    }
    // A demoted peer that a later RemovePeer already removed still counts: otherwise the sum
    // falls short mid-operator and the controller cancels it as "epoch not match".
    for (DemoteVoter dv : demoteVoters) {
      Metapb.Peer p = region.getStorePeer(dv.toStore());
      if (p != null && (p.getId() != dv.peerId()
          || !(p.getRole() == Metapb.PeerRole.DemotingVoter || p.getRole() == Metapb.PeerRole.Learner))) {
        return 0;
      }
    }
    return promoteLearners.size() + demoteVoters.size();
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    return entered(region);
  }

  /** Promoted are IncomingVoter or Voter and demoted are DemotingVoter or Learner. */
  private boolean entered(RegionInfo region) {
    for (PromoteLearner pl : promoteLearners) {
      Metapb.Peer p = region.getStorePeer(pl.toStore());
      if (p == null || p.getId() != pl.peerId()
          || !(p.getRole() == Metapb.PeerRole.IncomingVoter || p.getRole() == Metapb.PeerRole.Voter)) {
        return false;
      }
    }
    for (DemoteVoter dv : demoteVoters) {
      Metapb.Peer p = region.getStorePeer(dv.toStore());
      if (p == null || p.getId() != dv.peerId()
          || !(p.getRole() == Metapb.PeerRole.DemotingVoter || p.getRole() == Metapb.PeerRole.Learner)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stale when a peer is gone or has a role the change cannot come from, or when the joint state
   * is half entered or entered by other peers (PD's atomicity checks).
   */
  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    return Steps.checkJointRoles("enter joint state", region, promoteLearners, demoteVoters,
        false);
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {}

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.jointTimeout(regionSizeMiB, promoteLearners.size() + demoteVoters.size());
  }

  /** Only ConfChangeV2 can enter a joint state: nothing is sent without it. */
  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    if (!v2) {
      return Optional.empty();
    }
    Pdpb.ChangePeerV2.Builder changes = Pdpb.ChangePeerV2.newBuilder();
    for (PromoteLearner pl : promoteLearners) {
      pl.command(region, true).ifPresent(c -> changes.addAllChanges(c.getChangePeerV2().getChangesList()));
    }
    for (DemoteVoter dv : demoteVoters) {
      dv.command(region, true).ifPresent(c -> changes.addAllChanges(c.getChangePeerV2().getChangesList()));
    }
    return Optional.of(Pdpb.RegionHeartbeatResponse.newBuilder().setChangePeerV2(changes).build());
  }

  @Override
  public String toString() {
    return Steps.jointText("use joint consensus", promoteLearners, demoteVoters);
  }
}
