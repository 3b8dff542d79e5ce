package dev.jpd.core.region;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.List;
import java.util.Objects;

/** The fields of a {@link RegionInfo} under construction (its compact form, see CompactMeta). */
final class RegionInfoBuilder {
  long id;
  byte[] startKey;
  byte[] endKey;
  long version;
  long confVer;
  long[] peers;
  byte[] roles;
  byte leaderIndex = RegionInfo.NO_LEADER;
  Metapb.Peer leaderWhole;
  Metapb.Region metaWhole;
  List<Pdpb.PeerStats> downPeers = List.of();
  List<Metapb.Peer> pendingPeers = List.of();
  long writtenBytes;
  long writtenKeys;
  long readBytes;
  long readKeys;
  long approximateSize;
  long approximateKeys;
  long term;
  long intervalStart;
  long intervalEnd;
  boolean loadedFromStorage;

  RegionInfoBuilder() {}

  RegionInfoBuilder(Metapb.Region meta) {
    Objects.requireNonNull(meta, "region meta");
    id = meta.getId();
    startKey = CompactMeta.key(meta.getStartKey());
    endKey = CompactMeta.key(meta.getEndKey());
    version = meta.getRegionEpoch().getVersion();
    confVer = meta.getRegionEpoch().getConfVer();
    peers = CompactMeta.packPeers(meta.getPeersList());
    roles = CompactMeta.packRoles(meta.getPeersList());
    metaWhole = CompactMeta.compactable(meta) ? null : meta;
  }

  /** The leader as an index into the peers when it is exactly one of them. */
  void leader(Metapb.Peer leader) {
    Objects.requireNonNull(leader, "leader");
    if (leader.equals(Metapb.Peer.getDefaultInstance())) {
      leaderIndex = RegionInfo.NO_LEADER;
      return;
    }
    for (int i = 0; i < peers.length / 2 && i < Byte.MAX_VALUE; i++) {
      if (CompactMeta.samePeer(leader, peers, roles, i)) {
        leaderIndex = (byte) i;
        return;
      }
    }
    leaderIndex = RegionInfo.LEADER_WHOLE;
    leaderWhole = leader;
  }
}
