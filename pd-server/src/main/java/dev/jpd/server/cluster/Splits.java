package dev.jpd.server.cluster;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.id.IdAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** AskSplit / AskBatchSplit and the checks on ReportSplit / ReportBatchSplit. */
public final class Splits {
  private Splits() {}

  /**
   * New ids for {@code count} splits of a known, current region: one new region id and one new
   * peer id per existing peer, each split.
   */
  public static List<Pdpb.SplitID> ask(
      RaftCluster cluster, IdAllocator ids, Metapb.Region region, int count) {
    if (region == null || region.equals(Metapb.Region.getDefaultInstance())) {
      throw PdException.unknown("missing region for split");
    }
    if (count <= 0) {
      throw PdException.unknown("invalid split count " + count + " for region " + region.getId());
    }
    cluster.validateRegion(region);
    int perSplit = 1 + region.getPeersCount();
    long last = ids.alloc(perSplit * count);
    long next = last - (long) perSplit * count + 1;
    List<Pdpb.SplitID> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Pdpb.SplitID.Builder b = Pdpb.SplitID.newBuilder().setNewRegionId(next++);
      for (int p = 0; p < region.getPeersCount(); p++) {
        b.addNewPeerIds(next++);
      }
      out.add(b.build());
    }
    long[] recorded = new long[count + 1];
    recorded[0] = region.getId();
    for (int i = 0; i < count; i++) {
      recorded[i + 1] = out.get(i).getNewRegionId();
    }
    cluster.splitAsked(recorded);
    return out;
  }

  /**
   * A reported split must be at least two regions, each ending where the next starts. The regions
   * themselves arrive by heartbeat; this only refuses a report that cannot be right.
   */
  public static void checkReported(List<Metapb.Region> regions) {
    if (regions.size() < 2) {
      throw PdException.unknown(
          "invalid split region: want at least 2 regions, got " + regions.size());
    }
    for (int i = 1; i < regions.size(); i++) {
      Metapb.Region left = regions.get(i - 1);
      Metapb.Region right = regions.get(i);
      byte[] leftEnd = left.getEndKey().toByteArray();
      if (!Arrays.equals(leftEnd, right.getStartKey().toByteArray())) {
        throw PdException.unknown(
            "invalid split region: region "
                + left.getId()
                + " ends at "
                + RegionText.key(leftEnd)
                + " but region "
                + right.getId()
                + " starts at "
                + RegionText.key(right.getStartKey().toByteArray()));
      }
      byte[] rightEnd = right.getEndKey().toByteArray();
      if (rightEnd.length > 0
          && Arrays.compareUnsigned(left.getStartKey().toByteArray(), rightEnd) >= 0) {
        throw PdException.unknown(
            "invalid split region: region " + right.getId() + " ends before region " + left.getId() + " starts");
      }
    }
  }
}
