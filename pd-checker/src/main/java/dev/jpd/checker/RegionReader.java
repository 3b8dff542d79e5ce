package dev.jpd.checker;

import dev.jpd.core.region.RegionInfo;
import java.util.List;

/** The checkers' read view of the region cache. */
public interface RegionReader {

  /** The region, or null when it is not cached. */
  RegionInfo region(long regionId);

  /** Regions from the one containing {@code startKey} on, in key order, at most {@code limit}. */
  List<RegionInfo> scanRegions(byte[] startKey, byte[] endKey, int limit);

  /** The region whose start key is this region's end key, or null. */
  RegionInfo nextRegion(RegionInfo region);

  /** The region whose end key is this region's start key, or null. */
  RegionInfo prevRegion(RegionInfo region);

  /** How many regions are cached. */
  int regionCount();

  /**
   * How many cached regions have been reported by a heartbeat (not only loaded from storage) since
   * this PD started or became leader: the prepare check waits for 90 % of them.
   */
  int reportedRegionCount();

  /** Ids of every region with a peer on the store (any role), from the per-store index. */
  long[] storeRegionIds(long storeId);

  /** Total approximate size (MiB) of the regions with a peer on the store: the region score. */
  long storeRegionSize(long storeId);

  /** Regions with a pending peer on the store. */
  int storePendingPeerCount(long storeId);
}
