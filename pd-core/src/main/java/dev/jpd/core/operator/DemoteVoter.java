package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/** Demotes a voter to learner (on its own, or inside a joint-consensus enter). */
public record DemoteVoter(long toStore, long peerId) implements OpStep {
  @Override
  public long confVerChanged(RegionInfo region) {
    // The demoted peer is usually removed by a later step; its demotion still counted.
    Metapb.Peer p = region.getStorePeer(toStore);
    return p == null || (p.getId() == peerId && p.getRole() == Metapb.PeerRole.Learner) ? 1 : 0;
  }

  @Override
  public boolean isFinish(RegionInfo region) {
    Metapb.Peer p = Steps.storeLearner(region, toStore);
    return p != null && p.getId() == peerId;
  }

  @Override
  public Optional<String> checkInProgress(RegionInfo region) {
    Metapb.Peer p = region.getStorePeer(toStore);
    if (p == null || p.getId() != peerId) {
      return Optional.of("demote voter: peer " + peerId + " does not exist on store " + toStore);
    }
    if (region.leaderStoreId() == toStore) {
      return Optional.of("demote voter: cannot demote leader peer " + peerId);
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
    return Optional.of(Steps.confChange(Steps.change(ConfChangeType.AddLearnerNode,
        Steps.peer(peerId, toStore, Metapb.PeerRole.Learner)), v2));
  }

  @Override
  public String toString() {
    return "demote voter peer " + peerId + " on store " + toStore + " to learner";
  }
}
