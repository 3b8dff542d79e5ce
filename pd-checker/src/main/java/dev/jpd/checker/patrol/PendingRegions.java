package dev.jpd.checker.patrol;

import dev.jpd.core.region.LongHashSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PD's {@code pendingProcessedRegions} (the "waiting list"): regions that could not be scheduled
 * now because of a limit or a temporarily unavailable store, re-checked on every tick. An entry
 * lives {@code ttl} from when it first failed (a retry that fails again keeps the first expiry,
 * so the list drains; the scan rediscovers a region still failing), at most {@code capacity}
 * entries (the oldest go first).
 *
 * <p>Unlike PD, a tick takes at most a budget of entries, oldest first, and a retried entry goes
 * to the back: 27,000 regions waiting on a store limit do not make every 10 ms tick re-check all
 * 27,000.
 *
 * <p>The ids are also in a primitive set: every region of a scan is removed from this list, and
 * a region that is not in it (nearly all) costs one probe of a {@code long[]}, no boxing; while
 * the list is empty, a removal reads one volatile count and takes no lock.
 */
final class PendingRegions {
  static final long TTL_MILLIS = 3 * 60_000L;
  static final int CAPACITY = 100_000;

  private final LinkedHashMap<Long, Long> expiry = new LinkedHashMap<>();
  /** The keys of {@code expiry}, unboxed. */
  private LongHashSet listed = new LongHashSet();
  /** {@code expiry.size()}, written under the lock after every change; read without it. */
  private volatile int size;
  private final long ttlMillis;
  private final int capacity;

  PendingRegions(long ttlMillis, int capacity) {
    this.ttlMillis = ttlMillis;
    this.capacity = capacity;
  }

  /** Adds the region (or moves it to the back, keeping its expiry). */
  synchronized void add(long regionId, long nowMillis) {
    Long until = listed.contains(regionId) ? expiry.remove(regionId) : null;
    if (until == null) {
      until = nowMillis + ttlMillis;
    }
    if (until <= nowMillis) {
      listed.remove(regionId);
      size = expiry.size();
      return;
    }
    expiry.put(regionId, until);
    listed.add(regionId);
    if (expiry.size() > capacity) {
      Iterator<Long> it = expiry.keySet().iterator();
      listed.remove(it.next());
      it.remove();
    }
    size = expiry.size();
  }

  void remove(long regionId) {
    if (size == 0) {
      return; // the patrol removes every region it checks: nearly always from an empty list
    }
    synchronized (this) {
      if (listed.remove(regionId)) {
        expiry.remove(regionId);
        size = expiry.size();
      }
    }
  }

  /** Up to {@code max} live entries from the front, expired ones dropped on the way. */
  synchronized long[] take(int max, long nowMillis) {
    long[] out = new long[Math.min(max, expiry.size())];
    int n = 0;
    Iterator<Map.Entry<Long, Long>> it = expiry.entrySet().iterator();
    while (it.hasNext() && n < out.length) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getValue() <= nowMillis) {
        listed.remove(e.getKey());
        it.remove();
        continue;
      }
      out[n++] = e.getKey();
    }
    size = expiry.size();
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  synchronized boolean contains(long regionId) {
    return listed.contains(regionId);
  }

  synchronized List<Long> ids() {
    return new ArrayList<>(expiry.keySet());
  }

  int size() {
    return size;
  }

  synchronized void clear() {
    expiry.clear();
    listed = new LongHashSet();
    size = 0;
  }
}
