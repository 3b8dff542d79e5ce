package dev.jpd.core.region;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-store indexes of the region cache: for each store, the ids of the regions whose leader is
 * there, that have a follower (a voter other than the leader), a learner or a pending peer there,
 * plus the number of regions with any peer there and two size sums. Schedulers pick from these
 * instead of scanning every region.
 *
 * <p><b>Locking.</b> The id sets and region counts change only under {@link #lock()}, and only
 * together with the swap of the region's snapshot in the cache's id map, so that every change is
 * computed from the snapshot it actually replaced ({@link #replaceLocked}). Size sums are atomic
 * counters: a statistics-only heartbeat that changes a region's size adds the difference without
 * the lock ({@link #sizeChanged}). Because every change adds and subtracts against the snapshot
 * it replaced, the sums are exact whenever no heartbeat is in flight. Counts are read without the
 * lock; the id lists are copied under it.
 *
 * <p>Store 0 is never a valid store: regions without a leader are in no leader set. Store entries
 * are never removed (a cluster has at most thousands of stores), so that a lock-free size update
 * never lands in an entry that was just dropped.
 */
final class StoreRegionIndex {
  /** Which per-store id set. */
  enum Kind {
    LEADER,
    FOLLOWER,
    LEARNER,
    PENDING
  }

  /** One store's share of the index. */
  static final class StoreRegions {
    private final LongHashSet[] sets = {
      new LongHashSet(), new LongHashSet(), new LongHashSet(), new LongHashSet()
    };
    private volatile int regionCount;
    private final AtomicLong regionSize = new AtomicLong();
    private final AtomicLong leaderSize = new AtomicLong();

    LongHashSet set(Kind kind) {
      return sets[kind.ordinal()];
    }
  }

  private static final StoreRegions NONE = new StoreRegions();

  /**
   * By store id, unboxed: the checkers read a store's counts for every candidate store of every
   * region they repair. Entries are only added, under {@link #addStore}'s monitor (the map wants
   * one writer at a time; sizes change without the index lock).
   */
  private final ConcurrentLongMap<StoreRegions> stores = new ConcurrentLongMap<>();
  /** Store 0's entry, were a peer ever indexed there (it never leads: see above). */
  private final StoreRegions storeZero = new StoreRegions();
  private final ReentrantLock lock = new ReentrantLock();

  ReentrantLock lock() {
    return lock;
  }

  private StoreRegions store(long storeId) {
    if (storeId == 0) {
      return storeZero; // the map reserves key 0
    }
    StoreRegions s = stores.get(storeId);
    return s != null ? s : addStore(storeId);
  }

  private synchronized StoreRegions addStore(long storeId) {
    StoreRegions s = stores.get(storeId);
    if (s == null) {
      s = new StoreRegions();
      stores.put(storeId, s);
    }
    return s;
  }

  /** The store's entry, or null before any region was indexed there. */
  private StoreRegions existing(long storeId) {
    return storeId == 0 ? storeZero : stores.get(storeId);
  }

  private StoreRegions peek(long storeId) {
    StoreRegions s = existing(storeId);
    return s == null ? NONE : s;
  }

  /**
   * Moves the indexes from {@code old} to {@code now} (either may be null: a new or a removed
   * region). The caller holds {@link #lock()} and has just swapped {@code old} for {@code now}.
   */
  void replaceLocked(RegionInfo old, RegionInfo now) {
    if (old != null) {
      apply(old, false);
    }
    if (now != null) {
      apply(now, true);
    }
  }

  private void apply(RegionInfo r, boolean add) {
    long id = r.id();
    long size = add ? r.approximateSize() : -r.approximateSize();
    int one = add ? 1 : -1;
    long leaderId = r.leaderId();
    long leaderStore = r.leaderStoreId();
    if (leaderId != 0 && leaderStore != 0) {
      StoreRegions s = store(leaderStore);
      change(s.set(Kind.LEADER), id, add);
      s.leaderSize.addAndGet(size);
    }
    int peers = r.peerCount();
    for (int i = 0; i < peers; i++) {
      long storeId = r.peerStoreId(i);
      StoreRegions s = store(storeId);
      if (firstPeerOnStore(r, i)) {
        s.regionCount += one;
        s.regionSize.addAndGet(size);
      }
      if (r.peerIsLearner(i)) {
        change(s.set(Kind.LEARNER), id, add);
      } else if (r.peerId(i) != leaderId) {
        change(s.set(Kind.FOLLOWER), id, add);
      }
    }
    for (var p : r.pendingPeers()) {
      change(store(p.getStoreId()).set(Kind.PENDING), id, add);
    }
  }

  private static void change(LongHashSet set, long id, boolean add) {
    if (add) {
      set.add(id);
    } else {
      set.remove(id);
    }
  }

  /** Whether no earlier peer of {@code r} is on the store of peer {@code i}. */
  private static boolean firstPeerOnStore(RegionInfo r, int i) {
    long storeId = r.peerStoreId(i);
    for (int j = 0; j < i; j++) {
      if (r.peerStoreId(j) == storeId) {
        return false;
      }
    }
    return true;
  }

  /**
   * A statistics-only change of {@code r}'s approximate size by {@code delta}; no lock. The
   * region's peers and leader are those of the snapshot it replaced.
   */
  void sizeChanged(RegionInfo r, long delta) {
    long leaderStore = r.leaderStoreId();
    if (r.leaderId() != 0 && leaderStore != 0) {
      store(leaderStore).leaderSize.addAndGet(delta);
    }
    for (int i = 0; i < r.peerCount(); i++) {
      if (firstPeerOnStore(r, i)) {
        store(r.peerStoreId(i)).regionSize.addAndGet(delta);
      }
    }
  }

  int count(long storeId, Kind kind) {
    return peek(storeId).set(kind).size();
  }

  int regionCount(long storeId) {
    return peek(storeId).regionCount;
  }

  long regionSize(long storeId) {
    return peek(storeId).regionSize.get();
  }

  long leaderSize(long storeId) {
    return peek(storeId).leaderSize.get();
  }

  /** A copy of one id set; holds the lock for one array walk. */
  long[] ids(long storeId, Kind kind) {
    StoreRegions s = existing(storeId);
    if (s == null) {
      return new long[0];
    }
    lock.lock();
    try {
      return s.set(kind).toArray();
    } finally {
      lock.unlock();
    }
  }

  /** A random id of one set, 0 when it is empty. */
  long randomId(long storeId, Kind kind, Random rnd) {
    StoreRegions s = existing(storeId);
    if (s == null) {
      return 0;
    }
    lock.lock();
    try {
      return s.set(kind).random(rnd);
    } finally {
      lock.unlock();
    }
  }
}
