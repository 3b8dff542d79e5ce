package dev.jpd.server.cluster;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import java.util.List;

/**
 * What {@link RaftCluster} tells the components that follow its changes (region statistics, store
 * state tracking). Called on the thread that made the change, after it is applied; must be quick
 * and must not call back into the cluster's write methods.
 */
interface ClusterListener {
  ClusterListener NONE = new ClusterListener() {};

  /**
   * A heartbeat (or bootstrap) updated {@code region} and removed {@code removed} from the cache.
   * A racing heartbeat may already have replaced {@code region}: listeners that need the current
   * snapshot read it from the cache by id.
   */
  default void regionUpdated(RegionInfo region, List<RegionInfo> removed) {}

  /** A store's stored metadata (state, labels...) changed. */
  default void storeChanged(long storeId) {}

  /** A store heartbeat replaced {@code before} with {@code after}. */
  default void storeHeartbeat(StoreInfo before, StoreInfo after) {}
}
