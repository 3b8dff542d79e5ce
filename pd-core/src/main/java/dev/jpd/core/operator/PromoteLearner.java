package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/** Promotes a learner to voter with a simple conf change. */
public record PromoteLearner(long toStore, long peerId) implements OpStep {
  @Override
  public long confVerChanged(RegionInfo region) {
    return isFinish(region) ? 1 : 0;
  }

  /** A full Voter with this id: an IncomingVoter is still in the joint state. */
  @Override
  public boolean isFinish(RegionInfo region) {
    Metapb.Peer p = region.getStorePeer(toStore);
    return p != null && p.getId() == peerId && p.getRole() == Metapb.PeerRole.Voter;
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p == null || p.getId() != peerId) {
      return Optional.of("promote learner: peer " + peerId + " does not exist on store " + toStore);
    }
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {}

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.fast(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    return Optional.of(Steps.confChange(Steps.change(ConfChangeType.AddNode,
        Steps.peer(peerId, toStore, Metapb.PeerRole.Voter)), v2));
  }

  @Override
  public String toString() {
    return "promote learner peer " + peerId + " on store " + toStore + " to voter";
  }
}
