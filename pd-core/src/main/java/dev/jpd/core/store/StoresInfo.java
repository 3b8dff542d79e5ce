package dev.jpd.core.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The store cache: every known store by id. Thread-safe; readers never lock. Stores are few
 * (hundreds), so look-ups by address scan.
 */
public final class StoresInfo {
  private final ConcurrentHashMap<Long, StoreInfo> byId = new ConcurrentHashMap<>();

  /** The store with this id, or null. */
  public StoreInfo get(long storeId) {
    return byId.get(storeId);
  }

  /** Adds or replaces the store with {@code store.id()}. */
  public void put(StoreInfo store) {
    byId.put(store.id(), store);
  }

  /**
   * Atomically replaces the store with {@code change.apply(current)}, e.g. {@code s ->
   * s.withStats(stats, now)}. Returns the new snapshot, or null (and does nothing) when the store
   * is unknown.
   */
  public StoreInfo update(long storeId, UnaryOperator<StoreInfo> change) {
    return byId.computeIfPresent(storeId, (id, current) -> change.apply(current));
  }

  /** Forgets the store (e.g. a Tombstone store being purged); no-op when absent. */
  public void remove(long storeId) {
    byId.remove(storeId);
  }

  /** Every store, by id. */
  public List<StoreInfo> all() {
    List<StoreInfo> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(StoreInfo::id));
    return all;
  }

  /**
   * Every store registered with this address, by id, Tombstone ones included; for PutStore's
   * duplicate-address check, which ignores Tombstone stores and the store itself.
   */
  public List<StoreInfo> byAddress(String address) {
    List<StoreInfo> found = new ArrayList<>();
    for (StoreInfo s : byId.values()) {
      if (s.address().equals(address)) {
        found.add(s);
      }
    }
    found.sort(Comparator.comparingLong(StoreInfo::id));
    return found;
  }

  public int count() {
    return byId.size();
  }
}
