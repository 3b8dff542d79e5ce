package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The region cache: every region the PD knows, by id, by key and by store.
 *
 * <h2>Design note</h2>
 *
 * <p><b>Structures.</b> {@code byId} maps region id to the current {@link RegionInfo} snapshot (a
 * {@link ConcurrentLongMap}: ids inline in a {@code long[]}, lock-free reads and compare-and-set
 * replacement; puts and removals are serialized by the range write lock, as that map requires).
 * {@code byStartKey} is the range index: start key ({@code byte[]}, unsigned byte order) to region
 * <em>id</em> (a {@link TreeMap}). The index holds ids, not snapshots, so a snapshot can be
 * replaced in {@code byId} alone while the index stays as it is; its key is the region's own
 * start-key array, so an entry costs one TreeMap node and one boxed id. {@code stores} ({@link
 * StoreRegionIndex}) holds per store the ids of leader, follower, learner and pending regions,
 * region counts and size sums. Memory per region is measured by {@code RegionCacheBench}
 * (docs/performance.md).
 *
 * <p><b>Invariants</b>, whenever the range lock is free or held for reading:
 *
 * <ol>
 *   <li>{@code byStartKey} and {@code byId} hold the same ids, and {@code byStartKey} maps each
 *       region's start key to its id;
 *   <li>the ranges of the cached regions do not overlap (holes are allowed: regions not reported
 *       yet);
 *   <li>a snapshot in {@code byId} is replaced without the write lock only by one with the same
 *       key range, so 1 and 2 hold for whatever a reader finds in {@code byId};
 *   <li>whenever the store-index lock is free, the id sets and region counts of {@code stores}
 *       are exactly those of the snapshots in {@code byId}; size sums are exact once no heartbeat
 *       is in flight (see {@link StoreRegionIndex}).
 * </ol>
 *
 * <p><b>Locking.</b> One {@link ReentrantReadWriteLock} guards {@code byStartKey}. Key look-ups and
 * scans take the read lock (the TreeMap is not safe against concurrent writes). Structural
 * changes (new region, or key range, epoch, peers or leader changed; removal; unconditional put)
 * take the write lock, triage again against what the cache holds under it, remove every
 * overlapped region and insert. Every swap in {@code byId} that changes what the store index
 * holds (peers, leader, pending peers) happens under the store-index lock together with the index
 * update, so the index follows the snapshots in the order they were swapped. Lock order: range
 * write lock, then store-index lock. Look-ups by id and counts never lock.
 *
 * <p><b>Scans never hold the read lock for long.</b> A scan copies at most {@value #SCAN_CHUNK}
 * regions per read-lock hold, then resumes from the end key of the last region it copied, so a
 * structural heartbeat waits behind at most one chunk. A scan longer than one chunk is therefore
 * not one point-in-time view: it is in key order and never overlapping, but a region that changed
 * range between two chunks may be missing from it.
 *
 * <p><b>The statistics-only path.</b> Most heartbeats change only statistics. Those are triaged
 * against a lock-free read of {@code byId} and applied with a compare-and-set ({@link
 * ConcurrentLongMap#replace}, which compares snapshots by identity). If another update of the same
 * region won the race the CAS fails and triage runs again on the new snapshot, which may then find
 * the report stale or structural. Such heartbeats never take the range lock, even while a split
 * holds it; they take the store-index lock only when the pending peers changed, and touch the store
 * index otherwise only to add a size difference to two atomic sums. The new snapshot shares the key
 * and peer arrays of the one it replaces, and is made in one copy of the report ({@link
 * RegionInfo#withCachedParts}), after which "same range" is an identity check. Each such apply
 * reads, at 1M regions mostly from memory: the id map's key and value slots, the cached snapshot,
 * its two key arrays and its peer array (docs/performance.md). The cache always keeps the newest
 * accepted report; {@code saveCache} in the decision only tells the caller whether the change is
 * worth propagating. A structural update puts its snapshot unconditionally, so a statistics-only
 * report of the same region racing with it may be overwritten; statistics are transient and the
 * next heartbeat brings them back.
 *
 * <p><b>What readers may see.</b> A look-up by id racing a split can see the old parent for a
 * moment after a child appeared; key look-ups and one-chunk scans see a consistent,
 * non-overlapping set.
 */
public final class RegionsInfo {
  /** Region id 0 is never valid (heartbeats with it are rejected), so it excludes nothing. */
  private static final long NO_REGION = 0;

  /** Regions copied per read-lock hold in scans: bounds how long a split waits behind a scan. */
  static final int SCAN_CHUNK = 512;

  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private final ConcurrentLongMap<RegionInfo> byId = new ConcurrentLongMap<>();
  private final TreeMap<byte[], Long> byStartKey = new TreeMap<>(UNSIGNED);
  private final StoreRegionIndex stores = new StoreRegionIndex();
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
      if (origin == null) {
        break;
      }
      // One copy of the report holding the cached arrays where equal: the range check is then
      // by identity, and triage compares keys and peers without reading them again.
      RegionInfo region = reported.withCachedParts(origin);
      if (!region.sharesRangeOf(origin)) {
        break;
      }
      HeartbeatTriage.Decision d = HeartbeatTriage.triage(origin, List.of(), region);
      if (d.stale()) {
        return new HeartbeatResult(d, region, origin, List.of());
      }
      if (!d.statsOnly()) {
        break;
      }
      if (replaceStatsOnly(origin, region)) {
        return new HeartbeatResult(d, region, origin, List.of());
      }
      // Lost the race to another update of this region: triage against its snapshot.
    }
    return handleStructural(reported);
  }

  /** Swaps a same-range, same-peers, same-leader snapshot; false when {@code origin} is gone. */
  private boolean replaceStatsOnly(RegionInfo origin, RegionInfo region) {
    if (origin.pendingPeers().equals(region.pendingPeers())) {
      if (!byId.replace(region.id(), origin, region)) {
        return false;
      }
      long delta = region.approximateSize() - origin.approximateSize();
      if (delta != 0) {
        stores.sizeChanged(region, delta);
      }
      return true;
    }
    stores.lock().lock();
    try {
      if (!byId.replace(region.id(), origin, region)) {
        return false;
      }
      stores.replaceLocked(origin, region);
      return true;
    } finally {
      stores.lock().unlock();
    }
  }

  private HeartbeatResult handleStructural(RegionInfo reported) {
    writeLock.lock();
    try {
      RegionInfo origin = byId.get(reported.id());
      List<RegionInfo> overlaps =
          origin != null && origin.sameRange(reported)
              ? List.of()
              : overlapsLocked(reported.startKeyBytes(), reported.endKeyBytes(), reported.id());
      RegionInfo region = reported.withCachedParts(origin);
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
      List<RegionInfo> overlaps =
          overlapsLocked(region.startKeyBytes(), region.endKeyBytes(), region.id());
      insertLocked(region.shareArraysWith(origin), origin, overlaps);
      return overlaps;
    } finally {
      writeLock.unlock();
    }
  }

  private void insertLocked(RegionInfo region, RegionInfo origin, List<RegionInfo> overlaps) {
    Long boxedId = null;
    boolean rangeChanged = origin == null || !origin.sameRange(region);
    if (origin != null && rangeChanged) {
      boxedId = byStartKey.remove(origin.startKeyBytes());
    }
    for (RegionInfo o : overlaps) {
      byStartKey.remove(o.startKeyBytes());
    }
    if (boxedId == null) {
      boxedId = region.id();
    }
    if (rangeChanged) {
      byStartKey.put(region.startKeyBytes(), boxedId);
    }
    stores.lock().lock();
    try {
      for (RegionInfo o : overlaps) {
        stores.replaceLocked(byId.remove(o.id()), null);
      }
      stores.replaceLocked(byId.put(region.id(), region), region);
    } finally {
      stores.lock().unlock();
    }
  }

  /** Cached regions overlapping {@code [start, end)} in key order, except {@code excludeId}. */
  private List<RegionInfo> overlapsLocked(byte[] start, byte[] end, long excludeId) {
    List<RegionInfo> result = new ArrayList<>();
    byte[] from = scanFromLocked(start);
    for (Map.Entry<byte[], Long> e : byStartKey.tailMap(from, true).entrySet()) {
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
  private byte[] scanFromLocked(byte[] key) {
    Map.Entry<byte[], Long> floor = byStartKey.floorEntry(key);
    if (floor != null
        && KeyOrder.startsBefore(key, byId.get(floor.getValue()).endKeyBytes())) {
      return floor.getKey();
    }
    return key;
  }

  private RegionInfo containingLocked(byte[] key) {
    Map.Entry<byte[], Long> floor = byStartKey.floorEntry(key);
    if (floor == null) {
      return null;
    }
    RegionInfo r = byId.get(floor.getValue());
    return KeyOrder.startsBefore(key, r.endKeyBytes()) ? r : null;
  }

  /** The region with this id, or null. Never locks. */
  public RegionInfo getRegion(long id) {
    return byId.get(id);
  }

  /** The region containing {@code key}, or null when the key falls in a hole. */
  public RegionInfo getRegionByKey(ByteString key) {
    return getRegionByKey(key.toByteArray());
  }

  /** The region containing {@code key}, or null when the key falls in a hole. */
  public RegionInfo getRegionByKey(byte[] key) {
    readLock.lock();
    try {
      return containingLocked(key);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * PD's {@code GetPrevRegionByKey}: the region immediately before the one containing {@code key},
   * i.e. the cached region whose end key equals that region's start key. Null when {@code key}
   * falls in a hole, when the containing region is the first one, or when there is a hole just
   * before the containing region.
   */
  public RegionInfo getPrevRegion(ByteString key) {
    return getPrevRegion(key.toByteArray());
  }

  /** See {@link #getPrevRegion(ByteString)}. */
  public RegionInfo getPrevRegion(byte[] key) {
    readLock.lock();
    try {
      RegionInfo current = containingLocked(key);
      if (current == null) {
        return null;
      }
      Map.Entry<byte[], Long> lower = byStartKey.lowerEntry(current.startKeyBytes());
      if (lower == null) {
        return null;
      }
      RegionInfo prev = byId.get(lower.getValue());
      return Arrays.equals(prev.endKeyBytes(), current.startKeyBytes()) ? prev : null;
    } finally {
      readLock.unlock();
    }
  }

  /**
   * PD's {@code GetAdjacentRegions}: the cached regions just before and just after {@code region}
   * in start-key order, whether or not they touch it (across a hole they do not); either is null
   * at the ends of the key space. The pair is read under one read-lock hold.
   */
  public Adjacent getAdjacentRegions(RegionInfo region) {
    byte[] start = region.startKeyBytes();
    readLock.lock();
    try {
      Map.Entry<byte[], Long> lower = byStartKey.lowerEntry(start);
      Map.Entry<byte[], Long> higher = byStartKey.higherEntry(start);
      return new Adjacent(
          lower == null ? null : byId.get(lower.getValue()),
          higher == null ? null : byId.get(higher.getValue()));
    } finally {
      readLock.unlock();
    }
  }

  /** The neighbours {@link #getAdjacentRegions} found; either may be null. */
  public record Adjacent(RegionInfo prev, RegionInfo next) {}

  /**
   * PD's {@code ScanRegions}: regions overlapping {@code [startKey, endKey)} in key order, starting
   * with the region containing {@code startKey} (or the first one after it, in a hole). An empty
   * {@code endKey} scans to the end; {@code limit <= 0} means no limit. Copied in chunks (see the
   * design note): ordered and non-overlapping, but not one point-in-time view when long.
   */
  public List<RegionInfo> scanRegions(ByteString startKey, ByteString endKey, int limit) {
    return scanRegions(startKey.toByteArray(), endKey.toByteArray(), limit);
  }

  /** See {@link #scanRegions(ByteString, ByteString, int)}. */
  public List<RegionInfo> scanRegions(byte[] startKey, byte[] endKey, int limit) {
    return scan(startKey, endKey, limit, limit > 0 ? Math.min(limit, 1024) : 16);
  }

  private List<RegionInfo> scan(byte[] startKey, byte[] endKey, int limit, int capacity) {
    int max = limit > 0 ? limit : Integer.MAX_VALUE;
    List<RegionInfo> result = new ArrayList<>(capacity);
    byte[] from = null;
    while (true) {
      readLock.lock();
      try {
        byte[] tail = from == null ? scanFromLocked(startKey) : from;
        int copied = 0;
        from = null;
        for (Map.Entry<byte[], Long> e : byStartKey.tailMap(tail, true).entrySet()) {
          if (!KeyOrder.startsBefore(e.getKey(), endKey) || result.size() >= max) {
            return result;
          }
          RegionInfo r = byId.get(e.getValue());
          result.add(r);
          if (++copied == SCAN_CHUNK) {
            from = r.endKeyBytes();
            break;
          }
        }
        if (from == null || from.length == 0) {
          return result;
        }
      } finally {
        readLock.unlock();
      }
    }
  }

  /**
   * Cached regions whose key range overlaps {@code region}'s, in key order; a cached region with
   * the same id is included when it overlaps.
   */
  public List<RegionInfo> getOverlaps(RegionInfo region) {
    readLock.lock();
    try {
      return overlapsLocked(region.startKeyBytes(), region.endKeyBytes(), NO_REGION);
    } finally {
      readLock.unlock();
    }
  }

  /** Removes the region from the cache (not from storage); no-op when absent. */
  public void removeRegion(long id) {
    writeLock.lock();
    try {
      RegionInfo r = byId.get(id);
      if (r == null) {
        return;
      }
      byStartKey.remove(r.startKeyBytes());
      stores.lock().lock();
      try {
        stores.replaceLocked(byId.remove(id), null);
      } finally {
        stores.lock().unlock();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Number of cached regions. */
  public int size() {
    return byId.size();
  }

  /** Every cached region in key order (copied in chunks, see {@link #scanRegions}). */
  public List<RegionInfo> all() {
    return scan(CompactMeta.EMPTY_KEY, CompactMeta.EMPTY_KEY, 0, size() + 16);
  }

  /** Regions with a peer (any role) on the store. O(1). */
  public int regionCount(long storeId) {
    return stores.regionCount(storeId);
  }

  /** Regions whose leader is on the store. O(1). */
  public int leaderCount(long storeId) {
    return stores.count(storeId, StoreRegionIndex.Kind.LEADER);
  }

  /** Regions with a follower (a voter other than the leader) on the store. O(1). */
  public int followerCount(long storeId) {
    return stores.count(storeId, StoreRegionIndex.Kind.FOLLOWER);
  }

  /** Regions with a learner on the store. O(1). */
  public int learnerCount(long storeId) {
    return stores.count(storeId, StoreRegionIndex.Kind.LEARNER);
  }

  /** Total approximate size (MiB) of the regions with a peer on the store. O(1). */
  public long regionSize(long storeId) {
    return stores.regionSize(storeId);
  }

  /** Total approximate size (MiB) of the regions whose leader is on the store. O(1). */
  public long leaderSize(long storeId) {
    return stores.leaderSize(storeId);
  }

  /** Regions with a pending peer on the store. O(1). */
  public int pendingPeerCount(long storeId) {
    return stores.count(storeId, StoreRegionIndex.Kind.PENDING);
  }

  /** Ids of the regions whose leader is on the store, in no particular order (a copy). */
  public long[] leaderRegionIds(long storeId) {
    return stores.ids(storeId, StoreRegionIndex.Kind.LEADER);
  }

  /** Ids of the regions with a follower on the store, in no particular order (a copy). */
  public long[] followerRegionIds(long storeId) {
    return stores.ids(storeId, StoreRegionIndex.Kind.FOLLOWER);
  }

  /** Ids of the regions with a learner on the store, in no particular order (a copy). */
  public long[] learnerRegionIds(long storeId) {
    return stores.ids(storeId, StoreRegionIndex.Kind.LEARNER);
  }

  /** Ids of the regions with a pending peer on the store, in no particular order (a copy). */
  public long[] pendingRegionIds(long storeId) {
    return stores.ids(storeId, StoreRegionIndex.Kind.PENDING);
  }

  /** Snapshots of the regions whose leader is on the store, in no particular order. */
  public List<RegionInfo> leaderRegions(long storeId) {
    return snapshots(leaderRegionIds(storeId));
  }

  /** Snapshots of the regions with a follower on the store, in no particular order. */
  public List<RegionInfo> followerRegions(long storeId) {
    return snapshots(followerRegionIds(storeId));
  }

  /** Snapshots of the regions with a learner on the store, in no particular order. */
  public List<RegionInfo> learnerRegions(long storeId) {
    return snapshots(learnerRegionIds(storeId));
  }

  /**
   * Snapshots of every region with a peer on the store, in key order: the union of the leader,
   * follower and learner indexes (each peer is in exactly one), without a scan of the cache.
   */
  public List<RegionInfo> storeRegions(long storeId) {
    List<RegionInfo> out = new ArrayList<>(leaderRegions(storeId));
    out.addAll(followerRegions(storeId));
    out.addAll(learnerRegions(storeId));
    out.sort((a, b) -> KeyOrder.compare(a.startKey(), b.startKey()));
    return out;
  }

  /** Snapshots of the regions with a pending peer on the store, in no particular order. */
  public List<RegionInfo> pendingRegions(long storeId) {
    return snapshots(pendingRegionIds(storeId));
  }

  /** A region whose leader is on the store, picked at random (schedulers); null when none. */
  public RegionInfo randomLeaderRegion(long storeId, Random rnd) {
    return byId.get(stores.randomId(storeId, StoreRegionIndex.Kind.LEADER, rnd));
  }

  /** A region with a follower on the store, picked at random; null when none. */
  public RegionInfo randomFollowerRegion(long storeId, Random rnd) {
    return byId.get(stores.randomId(storeId, StoreRegionIndex.Kind.FOLLOWER, rnd));
  }

  /** A region with a learner on the store, picked at random; null when none. */
  public RegionInfo randomLearnerRegion(long storeId, Random rnd) {
    return byId.get(stores.randomId(storeId, StoreRegionIndex.Kind.LEARNER, rnd));
  }

  /** A region with a pending peer on the store, picked at random; null when none. */
  public RegionInfo randomPendingRegion(long storeId, Random rnd) {
    return byId.get(stores.randomId(storeId, StoreRegionIndex.Kind.PENDING, rnd));
  }

  /** The current snapshots of these ids; ids removed in the meantime are skipped. */
  private List<RegionInfo> snapshots(long[] ids) {
    List<RegionInfo> result = new ArrayList<>(ids.length);
    for (long id : ids) {
      RegionInfo r = byId.get(id);
      if (r != null) {
        result.add(r);
      }
    }
    return result;
  }

  /** The range index's write lock, for tests that hold it to show who waits for it. */
  Lock rangeWriteLock() {
    return writeLock;
  }

  /**
   * Runs {@code body} while no structural change and no store-index change can happen (both locks
   * held): the id sets and counts then match the snapshots exactly. For tests and diagnostics.
   */
  <T> T frozen(Supplier<T> body) {
    writeLock.lock();
    stores.lock().lock();
    try {
      return body.get();
    } finally {
      stores.lock().unlock();
      writeLock.unlock();
    }
  }

  /**
   * Checks invariants 1 to 3 of the design note and returns what is wrong (empty when
   * consistent). For tests and diagnostics; takes the read lock and scans everything.
   */
  List<String> checkInvariants() {
    List<String> problems = new ArrayList<>();
    readLock.lock();
    try {
      if (byStartKey.size() != byId.size()) {
        problems.add("range index has " + byStartKey.size() + " ids, id map " + byId.size());
      }
      RegionInfo prev = null;
      for (Map.Entry<byte[], Long> e : byStartKey.entrySet()) {
        RegionInfo r = byId.get(e.getValue());
        if (r == null || !Arrays.equals(r.startKeyBytes(), e.getKey())) {
          problems.add("range index entry " + KeyOrder.hex(CompactMeta.wrap(e.getKey()))
              + " -> " + e.getValue() + " does not match id map: " + r);
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
