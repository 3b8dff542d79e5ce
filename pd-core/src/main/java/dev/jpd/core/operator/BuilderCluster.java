package dev.jpd.core.operator;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.List;

/**
 * What the {@link OperatorBuilder} needs to know of the cluster (PD's {@code ClusterInformer},
 * narrowed): stores, a peer-id allocator and whether joint consensus may be used.
 */
public interface BuilderCluster {

  /** The store, or null when it is unknown. */
  StoreInfo store(long storeId);

  /** A fresh peer id from the cluster's id allocator. */
  long allocPeerId();

  /**
   * Whether plans may use joint consensus: {@code enable-joint-consensus} is on and the cluster
   * version speaks ConfChangeV2.
   */
  boolean jointConsensus();

  /**
   * Whether the store has been down longer than {@code max-store-down-time}: its remove-peer
   * step then costs only the small-region cost.
   */
  default boolean isStoreDown(long storeId) {
    return false;
  }

  /**
   * Whether a leader may be moved onto this store (PD's store-state filter for transfer-leader
   * targets). By default only an Up store qualifies; the server narrows it further (disconnected,
   * down, busy, {@code reject-leader} labels).
   */
  default boolean allowLeaderOn(StoreInfo store) {
    return isUp(store);
  }

  /** The {@code location-labels} used to replace a peer by its nearest one. */
  default List<String> locationLabels() {
    return List.of();
  }

  /** Up (serving or preparing): neither Offline nor Tombstone. */
  static boolean isUp(StoreInfo store) {
    return store != null && store.meta().getState() == Metapb.StoreState.Up;
  }
}
