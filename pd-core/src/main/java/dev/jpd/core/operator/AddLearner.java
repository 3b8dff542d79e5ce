package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/**
 * Adds a learner; done when it is a learner with this id and its snapshot is applied. A
 * light-weight add (scatter) spends no add-peer store limit.
 */
public record AddLearner(long toStore, long peerId, boolean isLightWeight) implements OpStep {
  public AddLearner(long toStore, long peerId) {
    this(toStore, peerId, false);
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    Metapb.Peer p = region.getStorePeer(toStore);
    return p != null && p.getId() == peerId ? 1 : 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    Metapb.Peer p = Steps.storeLearner(region, toStore);
    return p != null && p.getId() == peerId && !Steps.isPending(region, peerId);
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    Optional<String> clash = Steps.otherPeerOnStore(region, toStore, peerId, "learner");
    if (clash.isPresent()) {
      return clash;
    }
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p != null && p.getRole() != Metapb.PeerRole.Learner) {
      return Optional.of("add learner: peer " + peerId + " on store " + toStore + " already is a voter");
    }
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    Steps.addedPeerInfluence(influence, region, toStore, !isLightWeight);
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.slow(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    return Steps.addPeerCommand(region, toStore, peerId, ConfChangeType.AddLearnerNode,
        Metapb.PeerRole.Learner, v2);
  }

  @Override
  public String toString() {
    return "add learner peer " + peerId + " on store " + toStore;
  }
}
