package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Moves the leader from {@code fromStore} to {@code toStore}, or to any of {@code toStores} when
 * more than one target is acceptable (TiKV picks the first one it can).
 */
public record TransferLeader(long fromStore, long toStore, List<Long> toStores) implements OpStep {
  public TransferLeader {
    toStores = List.copyOf(toStores);
  }

  public TransferLeader(long fromStore, long toStore) {
    this(fromStore, toStore, List.of());
  }

  @Override
  public long confVerChanged(RegionInfo region) {
    return 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    long leaderStore = region.leaderStoreId();
    return leaderStore == toStore || toStores.contains(leaderStore);
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p == null) {
      return Optional.of("transfer leader: no peer on target store " + toStore);
    }
    if (p.getRole() == Metapb.PeerRole.Learner) {
      return Optional.of("transfer leader: peer " + p.getId() + " on store " + toStore + " is a learner");
    }
    return Optional.empty();
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    OpInfluence.StoreInfluence from = influence.store(fromStore);
    OpInfluence.StoreInfluence to = influence.store(toStore);
    from.leaderSize -= region.approximateSize();
    from.leaderCount--;
    to.leaderSize += region.approximateSize();
    to.leaderCount++;
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.fast(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    Metapb.Peer target = region.getStorePeer(toStore);
    if (target == null) {
      return Optional.empty();
    }
    Pdpb.TransferLeader.Builder t = Pdpb.TransferLeader.newBuilder().setPeer(target);
    for (long s : toStores) {
      Metapb.Peer p = region.getStorePeer(s);
      if (p != null) {
        t.addPeers(p);
      }
    }
    return Optional.of(Pdpb.RegionHeartbeatResponse.newBuilder().setTransferLeader(t).build());
  }

  @Override
  public String toString() {
    return "transfer leader from store " + fromStore + " to store " + toStore;
  }
}
