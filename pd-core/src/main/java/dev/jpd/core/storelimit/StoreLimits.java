package dev.jpd.core.storelimit;

import dev.jpd.core.operator.LimitType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store limits of every store, one bucket per store and {@link LimitType}, created on first
 * use (PD keeps one {@code StoreLimit} in each {@code StoreInfo}; jpd keeps them beside the store
 * cache so that store snapshots stay immutable). The rate is given on every look-up, from the
 * config of the moment, and a bucket whose rate changed is reset — as PD's {@code
 * getOrCreateStoreLimit}. Thread-safe.
 */
public final class StoreLimits {
  private record Key(long storeId, LimitType type) {}

  private final Map<Key, StoreLimit> limits = new ConcurrentHashMap<>();

  /** The store's bucket for the type at this rate (operations per minute). */
  public StoreLimit get(long storeId, LimitType type, double ratePerMinute, long nowMillis) {
    StoreLimit l =
        limits.computeIfAbsent(new Key(storeId, type), k -> new StoreLimit(ratePerMinute, nowMillis));
    l.reset(ratePerMinute, nowMillis);
    return l;
  }

  /** The store's bucket for the type if one was made, or null. */
  public StoreLimit peek(long storeId, LimitType type) {
    return limits.get(new Key(storeId, type));
  }

  /** Forgets a store's buckets (the store is gone). */
  public void removeStore(long storeId) {
    for (LimitType t : LimitType.values()) {
      limits.remove(new Key(storeId, t));
    }
  }
}
