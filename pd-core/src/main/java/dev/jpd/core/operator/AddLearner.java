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
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p != null && p.getId() != peerId) {
      return Optional.of("peer " + p.getId() + " has already existed in store " + toStore
          + ", the operator is trying to add learner " + peerId + " on the same store");
    }
    if (p != null && p.getRole() != Metapb.PeerRole.Learner) {
      return Optional.of("add learner: peer " + peerId + " on store " + toStore + " already is a voter");
    }
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    OpInfluence.StoreInfluence to = influence.store(toStore);
    to.regionSize += region.approximateSize();
    to.regionCount++;
    if (isLightWeight) {
      return;
    }
    to.adjustStepCost(LimitType.ADD_PEER, region.approximateSize());
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.slow(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    if (region.getStorePeer(toStore) != null) {
      return Optional.empty(); // added, waiting for its snapshot
    }
    return Optional.of(Steps.confChange(Steps.change(ConfChangeType.AddLearnerNode,
        Steps.peer(peerId, toStore, Metapb.PeerRole.Learner)), v2));
  }

  @Override
  public String toString() {
    return "add learner peer " + peerId + " on store " + toStore;
  }
}
