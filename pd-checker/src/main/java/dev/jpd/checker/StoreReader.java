package dev.jpd.checker;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import java.util.List;

/** The checkers' read view of the stores and their derived states. */
public interface StoreReader {

  /** Every known store (Tombstone ones included). */
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
}
