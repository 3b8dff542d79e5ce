package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/**
 * Removes the peer on {@code fromStore}. On a down store the remove-peer cost is capped at the
 * small-region cost: nothing is sent there, and a dead store must not block its own repair.
 */
public record RemovePeer(long fromStore, long peerId, boolean isDownStore) implements OpStep {
  public RemovePeer(long fromStore, long peerId) {
    this(fromStore, peerId, false);
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    // A peer with another id on the store means this one was removed and a new one added there
    // (a voter turned learner without joint consensus: RemovePeer then AddLearner).
    Metapb.Peer p = region.getStorePeer(fromStore);
    return p == null || (peerId != 0 && p.getId() != peerId) ? 1 : 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    return region.getStorePeer(fromStore) == null;
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    if (region.leaderStoreId() == fromStore) {
      return Optional.of("cannot remove leader peer " + peerId + " on store " + fromStore);
    }
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    OpInfluence.StoreInfluence from = influence.store(fromStore);
    from.regionSize -= region.approximateSize();
    from.regionCount--;
    long size = region.approximateSize();
    if (isDownStore && size > LimitType.SMALL_REGION_THRESHOLD_MIB) {
      size = LimitType.SMALL_REGION_THRESHOLD_MIB;
    }
    from.adjustStepCost(LimitType.REMOVE_PEER, size);
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.fast(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    Metapb.Peer target = region.getStorePeer(fromStore);
    if (target == null || target.getId() != peerId) {
      target = Metapb.Peer.newBuilder().setId(peerId).setStoreId(fromStore).build();
    }
    return Optional.of(Steps.confChange(Steps.change(ConfChangeType.RemoveNode, target), v2));
  }

  @Override
  public String toString() {
    return "remove peer on store " + fromStore;
  }
}
