package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/**
 * Merges {@code fromRegion} into its neighbour {@code toRegion}. A merge is a linked pair of
 * operators: the active one on the source sends the command and never "finishes" (it ends when
 * the source region disappears); the passive one on the target finishes when the target's key
 * range has grown.
 */
public record MergeRegion(Metapb.Region fromRegion, Metapb.Region toRegion, boolean isPassive)
    implements OpStep {
  @Override
  public long confVerChanged(RegionInfo region) {
    return 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    if (isPassive) {
      return !region.startKey().equals(toRegion.getStartKey())
          || !region.endKey().equals(toRegion.getEndKey());
    }
    return false;
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    if (isPassive) {
      long leaderStore = region.leaderStoreId();
      for (Metapb.Peer p : region.peers()) {
        OpInfluence.StoreInfluence s = influence.store(p.getStoreId());
        s.regionCount--;
        if (p.getStoreId() == leaderStore) {
          s.leaderCount--;
        }
      }
    }
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.fast(regionSizeMiB).multipliedBy(10);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    if (isPassive) {
      return Optional.empty();
    }
    return Optional.of(Pdpb.RegionHeartbeatResponse.newBuilder()
        .setMerge(Pdpb.Merge.newBuilder().setTarget(toRegion)).build());
  }

  @Override
  public String toString() {
    return (isPassive ? "merge region " + fromRegion.getId() + " into region " + toRegion.getId() + " (passive)"
        : "merge region " + fromRegion.getId() + " into region " + toRegion.getId());
  }
}
