package dev.jpd.core.region;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Shape checks on a region heartbeat, before it is turned into a {@link RegionInfo} and triaged.
 * Pure. PD itself rejects a missing leader, region id 0 and zero peers; the other checks catch
 * reports that would corrupt the cache (a leader outside the region, two peers on one store,
 * an inverted key range). Whether the stores exist is checked by the caller.
 *
 * <p>Messages start with {@code invalid region heartbeat:} and name the offending values, so
 * that they can be sent back to the store and grepped in logs.
 */
public final class HeartbeatValidation {
  private static final String PREFIX = "invalid region heartbeat: ";

  private HeartbeatValidation() {}

  /** Empty when the heartbeat is well-formed, else what is wrong with it. */
  public static Optional<String> validate(Pdpb.RegionHeartbeatRequest hb) {
    if (!hb.hasRegion()) {
      return fail("region is missing");
    }
    Metapb.Region region = hb.getRegion();
    long id = region.getId();
    if (id == 0) {
      return fail("region id is 0");
    }
    if (!region.hasRegionEpoch()) {
      return fail("region " + id + " has no region epoch");
    }
    if (!hb.hasLeader() || hb.getLeader().getId() == 0) {
      return fail("region " + id + " has no leader");
    }
    if (region.getPeersCount() == 0) {
      return fail("region " + id + " has no peers");
    }
    Optional<String> peers = checkPeers(region, hb.getLeader());
    if (peers.isPresent()) {
      return peers;
    }
    return checkKeys(region);
  }

  private static Optional<String> checkPeers(Metapb.Region region, Metapb.Peer leader) {
    long id = region.getId();
    Map<Long, Metapb.Peer> byId = new HashMap<>();
    Map<Long, Metapb.Peer> byStore = new HashMap<>();
    boolean leaderFound = false;
    for (Metapb.Peer p : region.getPeersList()) {
      Metapb.Peer sameId = byId.putIfAbsent(p.getId(), p);
      if (sameId != null) {
        return fail(
            "region " + id + " has duplicate peer id " + p.getId()
                + " (stores " + sameId.getStoreId() + " and " + p.getStoreId() + ")");
      }
      Metapb.Peer sameStore = byStore.putIfAbsent(p.getStoreId(), p);
      if (sameStore != null) {
        return fail(
            "region " + id + " has two peers on store " + p.getStoreId()
                + ": peers " + sameStore.getId() + " and " + p.getId());
      }
      leaderFound |= p.getId() == leader.getId() && p.getStoreId() == leader.getStoreId();
    }
    if (!leaderFound) {
      return fail(
          "region " + id + " leader " + leader.getId() + "@" + leader.getStoreId()
              + " (peer@store) is not among its peers "
              + RegionInfo.peersString(region.getPeersList()));
    }
    return Optional.empty();
  }

  private static Optional<String> checkKeys(Metapb.Region region) {
    if (!region.getEndKey().isEmpty()
        && KeyOrder.compare(region.getStartKey(), region.getEndKey()) >= 0) {
      return fail(
          "region " + region.getId() + " start key " + KeyOrder.hex(region.getStartKey())
              + " >= end key " + KeyOrder.hex(region.getEndKey()) + " (hex)");
    }
    return Optional.empty();
  }

  private static Optional<String> fail(String message) {
    return Optional.of(PREFIX + message);
  }
}
