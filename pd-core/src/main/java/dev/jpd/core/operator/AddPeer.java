package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/** Adds a voter directly (only without joint consensus); done when it is a voter, not pending. */
public record AddPeer(long toStore, long peerId) implements OpStep {
  @Override
  public long confVerChanged(RegionInfo region) {
    Metapb.Peer p = Steps.storeVoter(region, toStore);
    return p != null && p.getId() == peerId ? 1 : 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    Metapb.Peer p = Steps.storeVoter(region, toStore);
    return p != null && p.getId() == peerId && !Steps.isPending(region, peerId);
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    return Steps.otherPeerOnStore(region, toStore, peerId, "peer");
  }

  @Override
  public void influence(OpInfluence influence, RegionInfo region) {
    Steps.addedPeerInfluence(influence, region, toStore, true);
  }

  @Override
  public Duration timeout(long regionSizeMiB) {
    return Steps.slow(regionSizeMiB);
  }

  @Override
  public Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean v2) {
    return Steps.addPeerCommand(region, toStore, peerId, ConfChangeType.AddNode,
        Metapb.PeerRole.Voter, v2);
  }

  @Override
  public String toString() {
    return "add peer " + peerId + " on store " + toStore;
  }
}
