package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The region cache: every region the PD knows, by id and by key.
 *
 * <h2>Design note</h2>
 *
 * <p><b>Structures.</b> {@code byId} maps region id to the current {@link RegionInfo} snapshot (a
 * {@link ConcurrentHashMap}). {@code byStartKey} is the range index: start key, in unsigned byte
 * order, to region <em>id</em> (a {@link TreeMap}). The index holds ids, not snapshots, so a
 * snapshot can be replaced in {@code byId} alone while the index stays as it is.
 *
 * <p><b>Invariants</b>, whenever the range lock is free or held for reading:
 *
 * <ol>
 *   <li>{@code byStartKey} and {@code byId} hold the same ids, and {@code byStartKey} maps each
 *       region's start key to its id;
 *   <li>the ranges of the cached regions do not overlap (holes are allowed: regions not reported
 *       yet);
 *   <li>a snapshot in {@code byId} is replaced without the write lock only by one with the same
 *       key range, so 1 and 2 hold for whatever a reader finds in {@code byId}.
 * </ol>
 *
 * <p><b>Locking.</b> One {@link ReentrantReadWriteLock} guards {@code byStartKey}. Key look-ups
 * and scans take the read lock (the TreeMap is not safe against concurrent writes). Structural
 * changes (new region, or key range, epoch, peers or leader changed; removal; unconditional put)
 * take the write lock, triage again against what the cache holds under it, remove every
 * overlapped region from both maps and insert. Look-ups by id never lock.
 *
 * <p><b>The statistics-only path.</b> Most heartbeats change only statistics. Those are triaged
 * against a lock-free read of {@code byId} and applied with a compare-and-set
 * ({@link ConcurrentHashMap#replace(Object, Object, Object)}, which compares snapshots by
 * identity, since RegionInfo does not override equals). If another update of the same region won
 * the race the CAS fails and triage runs again on the new snapshot, which may then find the
 * report stale or structural. Such heartbeats never wait for the range lock, even while a split
 * holds it. The cache always keeps the newest accepted report; {@code saveCache} in the decision
 * only tells the caller whether the change is worth propagating. A structural update puts its
 * snapshot unconditionally, so a statistics-only report of the same region racing with it may be
 * overwritten; statistics are transient and the next heartbeat brings them back.
 *
 * <p><b>What readers may see.</b> A look-up by id racing a split can see the old parent for a
 * moment after a child appeared; key look-ups and scans see a consistent, non-overlapping set.
 *
 * <p>Per-store counts scan every region for now (O(regions)); per-store indexes come later.
 */
public final class RegionsInfo {
  /** Region id 0 is never valid (heartbeats with it are rejected), so it excludes nothing. */
  private static final long NO_REGION = 0;

  private final ConcurrentHashMap<Long, RegionInfo> byId = new ConcurrentHashMap<>();
  private final TreeMap<ByteString, Long> byStartKey = new TreeMap<>(KeyOrder.comparator());
  private final ReentrantReadWriteLock rangeLock = new ReentrantReadWriteLock();
  private final Lock readLock = rangeLock.readLock();
  private final Lock writeLock = rangeLock.writeLock();

  /**
   * Triage a reported region against the cache and apply the decision. A stale report changes
   * nothing. A zero approximate size inherits the cached one (see {@link
   * RegionInfo#fromHeartbeat}). The caller deletes {@link HeartbeatResult#overlaps()} from storage
   * and saves the region when {@code saveKv}.
   */
  public HeartbeatResult handleHeartbeat(RegionInfo reported) {
    long id = reported.id();
    while (true) {
      RegionInfo origin = byId.get(id);
      if (origin == null || !origin.sameRange(reported)) {
        break;
      }
      RegionInfo region = reported.inheritApproximateSize(origin);
      HeartbeatTriage.Decision d = HeartbeatTriage.triage(origin, List.of(), region);
      if (d.stale()) {
        return new HeartbeatResult(d, region, origin, List.of());
      }
      if (!d.statsOnly()) {
        break;
      }
      if (byId.replace(id, origin, region)) {
        return new HeartbeatResult(d, region, origin, List.of());
      }
      // Lost the race to another update of this region: triage against its snapshot.
    }
    return handleStructural(reported);
  }

  private HeartbeatResult handleStructural(RegionInfo reported) {
    writeLock.lock();
    try {
      RegionInfo origin = byId.get(reported.id());
      List<RegionInfo> overlaps =
          origin != null && origin.sameRange(reported)
              ? List.of()
              : overlapsLocked(reported.startKey(), reported.endKey(), reported.id());
      RegionInfo region = reported.inheritApproximateSize(origin);
      HeartbeatTriage.Decision d = HeartbeatTriage.triage(origin, overlaps, region);
      if (d.stale()) {
        return new HeartbeatResult(d, region, origin, List.of());
      }
      insertLocked(region, origin, overlaps);
      return new HeartbeatResult(d, region, origin, overlaps);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Inserts the region without triage (loading from storage, bootstrap, region syncer): a cached
   * region with the same id is replaced and every other overlapping region removed.
   *
   * @return the removed overlapping regions (not the replaced region with the same id)
   */
  public List<RegionInfo> putRegion(RegionInfo region) {
    writeLock.lock();
    try {
      RegionInfo origin = byId.get(region.id());
      List<RegionInfo> overlaps = overlapsLocked(region.startKey(), region.endKey(), region.id());
      insertLocked(region, origin, overlaps);
      return overlaps;
    } finally {
      writeLock.unlock();
    }
  }

  private void insertLocked(RegionInfo region, RegionInfo origin, List<RegionInfo> overlaps) {
    if (origin != null && !origin.sameRange(region)) {
      byStartKey.remove(origin.startKey(), origin.id());
    }
    for (RegionInfo o : overlaps) {
      byStartKey.remove(o.startKey(), o.id());
      byId.remove(o.id());
    }
    byStartKey.put(region.startKey(), region.id());
    byId.put(region.id(), region);
  }

  /** Cached regions overlapping {@code [start, end)} in key order, except {@code excludeId}. */
  private List<RegionInfo> overlapsLocked(ByteString start, ByteString end, long excludeId) {
    List<RegionInfo> result = new ArrayList<>();
    ByteString from = scanFromLocked(start);
    for (Map.Entry<ByteString, Long> e : byStartKey.tailMap(from, true).entrySet()) {
      if (!KeyOrder.startsBefore(e.getKey(), end)) {
        break;
      }
      if (e.getValue() != excludeId) {
        result.add(byId.get(e.getValue()));
      }
    }
    return result;
  }

  /** The start key of the region containing {@code key}, or {@code key} itself in a hole. */
  private ByteString scanFromLocked(ByteString key) {
    Map.Entry<ByteString, Long> floor = byStartKey.floorEntry(key);
    if (floor != null && KeyOrder.startsBefore(key, byId.get(floor.getValue()).endKey())) {
      return floor.getKey();
    }
    return key;
  }

  private RegionInfo containingLocked(ByteString key) {
    Map.Entry<ByteString, Long> floor = byStartKey.floorEntry(key);
    if (floor == null) {
      return null;
    }
    RegionInfo r = byId.get(floor.getValue());
    return KeyOrder.startsBefore(key, r.endKey()) ? r : null;
  }

  /** The region with this id, or null. Never locks. */
  public RegionInfo getRegion(long id) {
    return byId.get(id);
  }

  /** The region containing {@code key}, or null when the key falls in a hole. */
  public RegionInfo getRegionByKey(ByteString key) {
    readLock.lock();
    try {
      return containingLocked(key);
    } finally {
      readLock.unlock();
    }
  }

  /** The region containing {@code key}, or null when the key falls in a hole. */
  public RegionInfo getRegionByKey(byte[] key) {
    return getRegionByKey(KeyOrder.wrap(key));
  }

  /**
   * PD's {@code GetPrevRegionByKey}: the region immediately before the one containing {@code key},
   * i.e. the cached region whose end key equals that region's start key. Null when {@code key}
   * falls in a hole, when the containing region is the first one, or when there is a hole just
   * before the containing region.
   */
  public RegionInfo getPrevRegion(ByteString key) {
    readLock.lock();
    try {
      RegionInfo current = containingLocked(key);
      if (current == null) {
        return null;
      }
      Map.Entry<ByteString, Long> lower = byStartKey.lowerEntry(current.startKey());
      if (lower == null) {
        return null;
      }
      RegionInfo prev = byId.get(lower.getValue());
      return prev.endKey().equals(current.startKey()) ? prev : null;
    } finally {
      readLock.unlock();
    }
  }

  /** See {@link #getPrevRegion(ByteString)}. */
  public RegionInfo getPrevRegion(byte[] key) {
    return getPrevRegion(KeyOrder.wrap(key));
  }

  /**
   * PD's {@code ScanRegions}: regions overlapping {@code [startKey, endKey)} in key order, starting
   * with the region containing {@code startKey} (or the first one after it, in a hole). An empty
   * {@code endKey} scans to the end; {@code limit <= 0} means no limit.
   */
  public List<RegionInfo> scanRegions(ByteString startKey, ByteString endKey, int limit) {
    List<RegionInfo> result = new ArrayList<>(limit > 0 ? Math.min(limit, 1024) : 16);
    readLock.lock();
    try {
      ByteString from = scanFromLocked(startKey);
      for (Map.Entry<ByteString, Long> e : byStartKey.tailMap(from, true).entrySet()) {
        if (!KeyOrder.startsBefore(e.getKey(), endKey) || (limit > 0 && result.size() >= limit)) {
          break;
        }
        result.add(byId.get(e.getValue()));
      }
    } finally {
      readLock.unlock();
    }
    return result;
  }

  /** See {@link #scanRegions(ByteString, ByteString, int)}. */
  public List<RegionInfo> scanRegions(byte[] startKey, byte[] endKey, int limit) {
    return scanRegions(KeyOrder.wrap(startKey), KeyOrder.wrap(endKey), limit);
  }

  /**
   * Cached regions whose key range overlaps {@code region}'s, in key order; a cached region with
   * the same id is included when it overlaps.
   */
  public List<RegionInfo> getOverlaps(RegionInfo region) {
    readLock.lock();
    try {
      return overlapsLocked(region.startKey(), region.endKey(), NO_REGION);
    } finally {
      readLock.unlock();
    }
  }

  /** Removes the region from the cache (not from storage); no-op when absent. */
  public void removeRegion(long id) {
    writeLock.lock();
    try {
      RegionInfo r = byId.remove(id);
      if (r != null) {
        byStartKey.remove(r.startKey(), id);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Number of cached regions. */
  public int size() {
    return byId.size();
  }

  /** Every cached region in key order. */
  public List<RegionInfo> all() {
    readLock.lock();
    try {
      List<RegionInfo> result = new ArrayList<>(byStartKey.size());
      for (Long id : byStartKey.values()) {
        result.add(byId.get(id));
      }
      return result;
    } finally {
      readLock.unlock();
    }
  }

  /** Regions with a peer (any role) on the store. */
  public int regionCount(long storeId) {
    return (int) count(r -> r.getStorePeer(storeId) != null, r -> 1);
  }

  /** Regions whose leader is on the store. */
  public int leaderCount(long storeId) {
    return (int) count(r -> r.leaderStoreId() == storeId, r -> 1);
  }

  /** Total approximate size (MiB) of the regions with a peer on the store. */
  public long regionSize(long storeId) {
    return count(r -> r.getStorePeer(storeId) != null, RegionInfo::approximateSize);
  }

  /** Total approximate size (MiB) of the regions whose leader is on the store. */
  public long leaderSize(long storeId) {
    return count(r -> r.leaderStoreId() == storeId, RegionInfo::approximateSize);
  }

  /** Regions with a pending peer on the store. */
  public int pendingPeerCount(long storeId) {
    return (int)
        count(r -> r.pendingPeers().stream().anyMatch(p -> p.getStoreId() == storeId), r -> 1);
  }

  private long count(Predicate<RegionInfo> filter, ToLongFunction<RegionInfo> weight) {
    long total = 0;
    for (RegionInfo r : byId.values()) {
      if (filter.test(r)) {
        total += weight.applyAsLong(r);
      }
    }
    return total;
  }

  /** The range index's write lock, for tests that hold it to show who waits for it. */
  Lock rangeWriteLock() {
    return writeLock;
  }

  /**
   * Checks the invariants of the design note and returns what is wrong (empty when consistent).
   * For tests and diagnostics; takes the read lock and scans everything.
   */
  List<String> checkInvariants() {
    List<String> problems = new ArrayList<>();
    readLock.lock();
    try {
      if (byStartKey.size() != byId.size()) {
        problems.add("range index has " + byStartKey.size() + " ids, id map " + byId.size());
      }
      RegionInfo prev = null;
      for (Map.Entry<ByteString, Long> e : byStartKey.entrySet()) {
        RegionInfo r = byId.get(e.getValue());
        if (r == null || !r.startKey().equals(e.getKey())) {
          problems.add("range index entry " + KeyOrder.hex(e.getKey()) + " -> " + e.getValue()
              + " does not match id map: " + r);
          continue;
        }
        // An empty end key is +infinity: nothing may follow the region that has one.
        if (prev != null && KeyOrder.compareEnd(prev.endKey(), r.startKey()) > 0) {
          problems.add("regions overlap: " + prev + " and " + r);
        }
        prev = r;
      }
    } finally {
      readLock.unlock();
    }
    return problems;
  }
}
