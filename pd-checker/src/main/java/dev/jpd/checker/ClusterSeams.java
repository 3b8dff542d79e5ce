package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.util.List;

/**
 * What the checkers ask of parts of the PD that are not here yet or live elsewhere: region labels,
 * hot-region statistics and the store limits of the operator controller. Every answer defaults to
 * "nothing to say", so a view without them behaves as a PD without labels, hot regions or limits.
 */
public interface ClusterSeams {

  /** The region carries the label {@code schedule=deny}: the checkers leave it alone. */
  default boolean scheduleDenied(RegionInfo region) {
    return false;
  }

  /** Either region carries {@code merge_option=deny}, or a label rule boundary lies between. */
  default boolean mergeDenied(RegionInfo region, RegionInfo adjacent) {
    return false;
  }

  /** Keys inside the region where a region-label rule begins or ends (the split checker). */
  default List<byte[]> labelSplitKeys(RegionInfo region) {
    return List.of();
  }

  /** The region is hot (hot-region statistics): it is not merged. */
  default boolean isHot(RegionInfo region) {
    return false;
  }

  /**
   * Why adding the operator would exceed a store limit ("store 4 add-peer limit: 15.0/min"), or
   * null when it would not. The operator controller refuses such operators anyway; this lets a
   * dry run say so.
   */
  default String storeLimitExceeded(Operator op) {
    return null;
  }

  /**
   * Whether the store's add-peer store limit has the tokens for one more peer of a region this
   * size now (PD's store-state filter {@code exceed-add-limit}): a store without them is passed
   * over as temporarily unavailable instead of building an operator the controller would refuse.
   */
  default boolean addPeerAvailable(long storeId, long regionSizeMiB) {
    return true;
  }
}
