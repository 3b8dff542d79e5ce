package dev.jpd.core.operator;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;

/**
 * Test fixture: a reported region from a one-line peer spec, e.g. {@code "1* 2 L4:100~"} — a
 * voter on store 1 that leads, a voter on store 2, a pending learner with peer id 100 on store 4.
 * Prefixes: {@code L} learner, {@code I} incoming voter, {@code D} demoting voter. Suffixes:
 * {@code :id} peer id (default: the store id), {@code *} leader, {@code ~} pending. Region id 1,
 * epoch (conf_ver 5, version 5), range [a, z), {@code sizeMiB} MiB.
 */
final class Regions {
  private Regions() {}

  static RegionInfo region(String spec) {
    return region(spec, 10, "a", "z");
  }

  static RegionInfo region(String spec, long sizeMiB) {
    return region(spec, sizeMiB, "a", "z");
  }

  static RegionInfo region(String spec, long sizeMiB, String start, String end) {
    return region(1, spec, sizeMiB, start, end);
  }

  static RegionInfo region(long regionId, String spec, long sizeMiB, String start, String end) {
    Metapb.Region.Builder meta = Metapb.Region.newBuilder().setId(regionId)
        .setStartKey(ByteString.copyFromUtf8(start)).setEndKey(ByteString.copyFromUtf8(end))
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(5).setVersion(5));
    Pdpb.RegionHeartbeatRequest.Builder hb = Pdpb.RegionHeartbeatRequest.newBuilder();
    for (String tok : spec.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      Metapb.PeerRole role = Metapb.PeerRole.Voter;
      switch (tok.charAt(0)) {
        case 'L' -> role = Metapb.PeerRole.Learner;
        case 'I' -> role = Metapb.PeerRole.IncomingVoter;
        case 'D' -> role = Metapb.PeerRole.DemotingVoter;
        default -> { }
      }
      String t = Character.isLetter(tok.charAt(0)) ? tok.substring(1) : tok;
      boolean leader = t.contains("*");
      boolean pending = t.contains("~");
      t = t.replace("*", "").replace("~", "");
      String[] parts = t.split(":");
      long store = Long.parseLong(parts[0]);
      long id = parts.length > 1 ? Long.parseLong(parts[1]) : store;
      Metapb.Peer p = Metapb.Peer.newBuilder().setId(id).setStoreId(store).setRole(role).build();
      meta.addPeers(p);
      if (leader) {
        hb.setLeader(p);
      }
      if (pending) {
        hb.addPendingPeers(p);
      }
    }
    return RegionInfo.fromHeartbeat(hb.setRegion(meta).setApproximateSize(sizeMiB << 20).build());
  }

  static Metapb.Peer voter(long store) {
    return Metapb.Peer.newBuilder().setStoreId(store).build();
  }

  static Metapb.Peer learner(long store) {
    return Metapb.Peer.newBuilder().setStoreId(store).setRole(Metapb.PeerRole.Learner).build();
  }
}
