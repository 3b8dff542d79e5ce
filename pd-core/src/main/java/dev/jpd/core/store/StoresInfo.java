package dev.jpd.core.store;

import dev.jpd.core.region.ConcurrentLongMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The store cache: every known store by id. Thread-safe; readers never lock. Stores are few
 * (hundreds), so look-ups by address scan.
 *
 * <p>{@link #all()} is read per region by the checkers' store search, so it returns a cached
 * immutable list, rebuilt only after a write. Every write bumps {@code version} after changing the
 * map; a snapshot is tagged with the version read before it was copied, so a write that lands
 * while a reader copies leaves a tag that no longer matches and the next reader rebuilds: a
 * snapshot older than a completed write is never returned.
 *
 * <p>{@link #get} is read several times per region by the checkers, so ids are also looked up in
 * an unboxed {@link ConcurrentLongMap} (a boxed {@code Long} key is an allocation for ids above
 * 127, and TiKV store ids come from the same allocator as region ids). Writes are serialized on
 * this object, so the two maps always change together.
 *
 * <p>{@link #labelsVersion} changes whenever a store's labels may have changed (a store added,
 * removed, or its label list no longer equal to the one before), so a cache of anything computed
 * from store labels (the checkers' region fits) can check one number instead of every store.
 */
public final class StoresInfo {
  private final ConcurrentHashMap<Long, StoreInfo> byId = new ConcurrentHashMap<>();
  /** The same stores by id, for {@link #get}; written under this object's lock with byId. */
  private final ConcurrentLongMap<StoreInfo> lookup = new ConcurrentLongMap<>();
  private final AtomicLong version = new AtomicLong();
  /** Bumped (under this object's lock, after the maps) when any store's labels change. */
  private volatile long labelsVersion;
  private volatile Snapshot snapshot = new Snapshot(-1, List.of());

  private record Snapshot(long version, List<StoreInfo> stores) {}

  /** The store with this id, or null. */
  public StoreInfo get(long storeId) {
    return storeId == 0 ? byId.get(0L) : lookup.get(storeId);
  }

  /** Adds or replaces the store with {@code store.id()}. */
  public synchronized void put(StoreInfo store) {
    StoreInfo old = byId.put(store.id(), store);
    if (store.id() != 0) {
      lookup.put(store.id(), store);
    }
    version.incrementAndGet();
    labelsChanged(old, store);
  }

  /**
   * Atomically replaces the store with {@code change.apply(current)}, e.g. {@code s ->
   * s.withStats(stats, now)}. Returns the new snapshot, or null (and does nothing) when the store
   * is unknown.
   */
  public synchronized StoreInfo update(long storeId, UnaryOperator<StoreInfo> change) {
    StoreInfo old = byId.get(storeId);
    StoreInfo changed = byId.computeIfPresent(storeId, (id, current) -> change.apply(current));
    if (storeId != 0) {
      if (changed != null) {
        lookup.put(storeId, changed);
      } else {
        lookup.remove(storeId); // change returned null: computeIfPresent removed the store
      }
    }
    version.incrementAndGet();
    labelsChanged(old, changed);
    return changed;
  }

  /** Forgets the store (e.g. a Tombstone store being purged); no-op when absent. */
  public synchronized void remove(long storeId) {
    StoreInfo old = byId.remove(storeId);
    if (storeId != 0) {
      lookup.remove(storeId);
    }
    version.incrementAndGet();
    labelsChanged(old, null);
  }

  /**
   * A number that changes whenever any store's labels may have changed since it was read: a store
   * added or removed, or given a label list not equal to its previous one. Read it before reading
   * the labels a cached result is computed from; if it is unchanged later, so are those labels.
   */
  public long labelsVersion() {
    return labelsVersion;
  }

  /** Bumps {@link #labelsVersion} unless {@code before} and {@code after} carry equal labels. */
  private void labelsChanged(StoreInfo before, StoreInfo after) {
    if (before == after) {
      return;
    }
    if (before == null || after == null || !sameLabels(before, after)) {
      labelsVersion++; // single writer: this object's lock
    }
  }

  private static boolean sameLabels(StoreInfo a, StoreInfo b) {
    var x = a.meta().getLabelsList();
    var y = b.meta().getLabelsList();
    return x == y || x.equals(y);
  }

  /**
   * Every store, by id: an immutable list, the same object until the next write (so a caller may
   * key a cache on its identity).
   */
  public List<StoreInfo> all() {
    long v = version.get();
    Snapshot s = snapshot;
    if (s.version == v) {
      return s.stores;
    }
    List<StoreInfo> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(StoreInfo::id));
    List<StoreInfo> stores = Collections.unmodifiableList(all);
    snapshot = new Snapshot(v, stores);
    return stores;
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
