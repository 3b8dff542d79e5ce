package dev.jpd.core.operator;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Splits the region {@code [startKey, endKey)} by the policy (scan, approximate, or at the given
 * keys); done when the region's start or end key has changed.
 */
public record SplitRegion(
    ByteString startKey, ByteString endKey, Pdpb.CheckPolicy policy, List<ByteString> splitKeys)
    implements OpStep {
  public SplitRegion {
    splitKeys = List.copyOf(splitKeys);
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    return 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    return !region.startKey().equals(startKey) || !region.endKey().equals(endKey);
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    long leaderStore = region.leaderStoreId();
    for (Metapb.Peer p : region.peers()) {
      OpInfluence.StoreInfluence s = influence.store(p.getStoreId());
      s.regionCount++;
      if (p.getStoreId() == leaderStore) {
        s.leaderCount++;
      }
    }
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.fast(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    return Optional.of(Pdpb.RegionHeartbeatResponse.newBuilder()
        .setSplitRegion(Pdpb.SplitRegion.newBuilder().setPolicy(policy).addAllKeys(splitKeys))
        .build());
  }

  @Override
  public String toString() {
    return "split region with policy " + policy;
  }
}
