package dev.jpd.server.grpc;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.KeyOrder;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.PdException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * BatchScanRegions: the regions over several ordered key ranges, each region once, at most
 * {@code limit} in all. With {@code contain_all_key_range}, a range that the regions found do not
 * cover without a hole is refused with REGIONS_NOT_CONTAIN_ALL_KEY_RANGE.
 */
final class BatchScan {
  private BatchScan() {}

  static List<Pdpb.Region> scan(RegionsInfo regions, Pdpb.BatchScanRegionsRequest req) {
    List<Pdpb.KeyRange> ranges = req.getRangesList();
    for (int i = 0; i < ranges.size(); i++) {
      ByteString start = ranges.get(i).getStartKey();
      ByteString end = ranges.get(i).getEndKey();
      if (!end.isEmpty() && KeyOrder.compare(start, end) > 0) {
        throw PdException.unknown("invalid key range, start key > end key in range " + i);
      }
      ByteString prevEnd = i > 0 ? ranges.get(i - 1).getEndKey() : null;
      if (prevEnd != null && (prevEnd.isEmpty() || KeyOrder.compare(start, prevEnd) < 0)) {
        throw PdException.unknown("invalid key range, ranges overlapped at range " + i);
      }
    }
    int limit = req.getLimit() <= 0 ? Integer.MAX_VALUE : req.getLimit();
    List<Pdpb.Region> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < ranges.size() && out.size() < limit; i++) {
      ByteString start = ranges.get(i).getStartKey();
      ByteString end = ranges.get(i).getEndKey();
      List<RegionInfo> found = regions.scanRegions(start, end, limit - out.size());
      if (req.getContainAllKeyRange()) {
        checkCovered(found, start, end, out.size() + found.size() >= limit, i);
      }
      for (RegionInfo r : found) {
        if (seen.add(r.id())) {
          out.add(RegionResponses.region(r));
        }
      }
    }
    return out;
  }

  /** Holes refuse the request; a range cut short by the limit is judged only as far as it got. */
  private static void checkCovered(
      List<RegionInfo> found, ByteString start, ByteString end, boolean truncated, int index) {
    String hole = "regions are not adjacent in range " + index;
    if (found.isEmpty() || KeyOrder.compare(found.get(0).startKey(), start) > 0) {
      throw notCovered(hole + " (no region at its start)");
    }
    for (int j = 1; j < found.size(); j++) {
      if (!found.get(j - 1).endKey().equals(found.get(j).startKey())) {
        throw notCovered(hole);
      }
    }
    ByteString lastEnd = found.get(found.size() - 1).endKey();
    if (!truncated && KeyOrder.compareEnd(lastEnd, end) < 0) {
      throw notCovered(hole + " (no region at its end)");
    }
  }

  private static PdException notCovered(String message) {
    return new PdException(Pdpb.ErrorType.REGIONS_NOT_CONTAIN_ALL_KEY_RANGE, message);
  }
}
