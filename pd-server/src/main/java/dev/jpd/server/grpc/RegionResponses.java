package dev.jpd.server.grpc;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;

/** Region cache entries as the wire shapes of GetRegion and the scans. */
final class RegionResponses {
  private RegionResponses() {}

  static Pdpb.GetRegionResponse getRegion(Pdpb.ResponseHeader header, RegionInfo r) {
    Pdpb.GetRegionResponse.Builder b = Pdpb.GetRegionResponse.newBuilder().setHeader(header);
    if (r != null) {
      b.setRegion(r.meta())
          .addAllDownPeers(r.downPeers())
          .addAllPendingPeers(r.pendingPeers());
      if (r.hasLeader()) {
        b.setLeader(r.leader());
      }
    }
    return b.build();
  }

  static Pdpb.Region region(RegionInfo r) {
    Pdpb.Region.Builder b =
        Pdpb.Region.newBuilder()
            .setRegion(r.meta())
            .addAllDownPeers(r.downPeers())
            .addAllPendingPeers(r.pendingPeers());
    if (r.hasLeader()) {
      b.setLeader(r.leader());
    }
    return b.build();
  }
}
