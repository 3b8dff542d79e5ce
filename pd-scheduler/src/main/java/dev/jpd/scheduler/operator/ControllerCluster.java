package dev.jpd.scheduler.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;

/**
 * What the operator controller reads of the cluster: the cached region and store snapshots. The
 * server backs it with its region cache and store cache; tests with a fake cluster.
 */
public interface ControllerCluster {

  /** The cached region, or null when the PD does not know it (any more). */
  RegionInfo region(long regionId);

  /** The cached store, or null when the PD does not know it. */
  StoreInfo store(long storeId);

  /**
   * Whether the store is being removed (Offline / Removing): its remove-peer limit is then
   * unlimited, so that it drains as fast as the cluster can take its replicas.
   */
  default boolean isRemoving(long storeId) {
    StoreInfo s = store(storeId);
    if (s == null) {
      return false;
    }
    Metapb.Store m = s.meta();
    return m.getState() == Metapb.StoreState.Offline
        || m.getNodeState() == Metapb.NodeState.Removing;
  }
}
