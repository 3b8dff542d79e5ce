package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * Which regions a leader reports now, and what the report says. TiKV's leader reports a region
 * on its heartbeat timer and at once after anything the PD must know (conf change, leader
 * change, split, merge, a pending peer catching up). A peer whose store stopped answering is a
 * down peer with the seconds since it went quiet, and is also pending (its log lags); a peer
 * still waiting for its snapshot is pending.
 */
final class RegionReports {
  private RegionReports() {}

  /** Regions due now, led from a live store; clears their dirty flags. */
  static List<SimRegion> due(SimCluster c) {
    long now = c.clock.nowMillis();
    List<SimRegion> out = new ArrayList<>();
    for (SimRegion r : c.regions.values()) {
      Metapb.Peer leader = r.leader();
      if (r.removed || leader == null || !c.storeUp(leader.getStoreId())) {
        continue;
      }
      if (r.dirty || now - r.lastReportMillis >= c.config.regionHeartbeatMillis()) {
        r.dirty = false;
        out.add(r);
      }
    }
    return out;
  }

  /** The heartbeat for the interval since the last report; resets the region's flow. */
  static Pdpb.RegionHeartbeatRequest build(SimCluster c, SimRegion r) {
    long now = c.clock.nowMillis();
    Pdpb.RegionHeartbeatRequest.Builder b =
        Pdpb.RegionHeartbeatRequest.newBuilder()
            .setRegion(r.meta)
            .setLeader(r.leader())
            .setBytesWritten(r.bytesWritten)
            .setKeysWritten(r.keysWritten)
            .setBytesRead(r.bytesRead)
            .setKeysRead(r.keysRead)
            .setApproximateSize(r.size)
            .setApproximateKeys(r.keys)
            .setApproximateKvSize(r.size)
            .setTerm(r.term)
            .setInterval(
                Pdpb.TimeInterval.newBuilder()
                    .setStartTimestamp(r.lastReportMillis / 1000)
                    .setEndTimestamp(now / 1000));
    for (Metapb.Peer p : r.meta.getPeersList()) {
      SimStore s = c.stores.get(p.getStoreId());
      boolean down = s == null || !s.up;
      if (down) {
        long since = s == null ? now : s.downSinceMillis;
        b.addDownPeers(
            Pdpb.PeerStats.newBuilder().setPeer(p).setDownSeconds((now - since) / 1000));
      }
      if (down || r.pending.containsKey(p.getId())) {
        b.addPendingPeers(p);
      }
    }
    r.bytesWritten = r.keysWritten = r.bytesRead = r.keysRead = 0;
    r.lastReportMillis = now;
    return b.build();
  }
}
