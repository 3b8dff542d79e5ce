package dev.jpd.server;

import dev.jpd.checker.ClusterSeams;
import dev.jpd.core.label.RegionLabeler;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.util.List;
import java.util.function.Function;

/**
 * What the checkers ask of the rest of the daemon: region labels from the {@link RegionLabeler}
 * ({@code schedule=deny}, {@code merge_option=deny}, rule boundaries to split at) and store limits
 * from the operator controller (for the dry run). No hot-region statistics yet: nothing is hot.
 */
record CheckerSeams(RegionLabeler labeler, Function<Operator, String> storeLimits,
    AddPeerLimits addPeerLimits) implements ClusterSeams {

  /** The controller's add-peer store limits. */
  interface AddPeerLimits {
    boolean available(long storeId, long regionSizeMiB);
  }

  @Override
  public boolean scheduleDenied(RegionInfo region) {
    return labeler.scheduleDenied(region);
  }

  @Override
  public boolean mergeDenied(RegionInfo region, RegionInfo adjacent) {
    return labeler.mergeDenied(region, adjacent);
  }

  @Override
  public List<byte[]> labelSplitKeys(RegionInfo region) {
    return labeler.splitKeys(region);
  }

  @Override
  public String storeLimitExceeded(Operator op) {
    return storeLimits.apply(op);
  }

  @Override
  public boolean addPeerAvailable(long storeId, long regionSizeMiB) {
    return addPeerLimits.available(storeId, regionSizeMiB);
  }
}
