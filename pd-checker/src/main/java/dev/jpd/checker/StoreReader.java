package dev.jpd.checker;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import java.util.List;

/**
 * The checkers' read view of the stores and their derived states.
 *
 * <p>{@link StoreSearchMemo} relies on {@link #storeStatus} and {@link #lowSpace} being functions
 * of the store snapshot, the clock millisecond, the config object and the region count, and on
 * {@link #stores()} returning a new list object whenever a store changes.
 */
public interface StoreReader {

  /** Every known store (Tombstone ones included), by id; immutable. */
  List<StoreInfo> stores();

  /**
   * The store's state now (Up, Disconnected, Down, Offline, Tombstone), with how long it has been
   * silent; null when the store is unknown.
   */
  StoreStatus storeStatus(long storeId);

  /** The state of a store taken from {@link #stores()} (no second look-up). */
  default StoreStatus storeStatus(StoreInfo store) {
    return storeStatus(store.id());
  }

  /** Whether the store is low on space ({@code low-space-ratio}). */
  boolean lowSpace(StoreInfo store);

  /**
   * A number that changes whenever any store's labels may have changed (a store added, removed
   * or relabelled): read before reading labels, it tells a cache of label-derived results that
   * those labels still hold ({@link dev.jpd.core.store.StoresInfo#labelsVersion}).
   */
  long labelsVersion();
}
