package dev.jpd.checker;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;

/**
 * Whether a store may receive (or give up) a replica. A filter says yes or no cheaply; the words
 * for a no are built only for a dry run.
 */
interface StoreFilter {

  /** The filter's name in a diagnosis ("store-state", "low-space", ...). */
  String name();

  /** Whether the store passes; {@code status} is its derived state (never null here). */
  boolean accepts(StoreInfo store, StoreStatus status);

  /** Why the store does not pass, with the values. */
  String why(StoreInfo store, StoreStatus status);
}
