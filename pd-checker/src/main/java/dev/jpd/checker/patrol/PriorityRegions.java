package dev.jpd.checker.patrol;

import dev.jpd.core.region.LongHashSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PD's {@code PriorityInspector}: regions missing replicas, most missing first, re-checked with a
 * linear back-off — an entry is due when {@code last + attempt × 10 × patrol-region-interval} has
 * passed. An entry leaves when the region misses nothing any more or is gone. Bounded: when full,
 * a new entry evicts the one missing the fewest replicas, if it misses more.
 *
 * <p>Touched only by the patrol thread, except {@link #size()}; synchronized for the readers.
 * The ids are also in a primitive set, so that the update after each check of a region that is
 * not listed (nearly all) costs one probe of a {@code long[]}, no boxing; while the list is
 * empty, that update reads one volatile count and takes no lock.
 */
final class PriorityRegions {
  static final int CAPACITY = 1280;
  private static final int BACKOFF_FACTOR = 10;

  private static final class Entry {
    int missing;
    int attempt = 1;
    long lastMillis;
  }

  private final Map<Long, Entry> entries = new HashMap<>();
  /** The keys of {@code entries}, unboxed. */
  private final LongHashSet listed = new LongHashSet();
  /** {@code entries.size()}, written under the lock after every change; read without it. */
  private volatile int size;
  /** How many entries miss each count: finds the least missing without a scan. */
  private final TreeMap<Integer, Integer> byMissing = new TreeMap<>();
  private final int capacity;
  /** No entry is due before this; saves a scan per tick. */
  private long nextDueMillis = Long.MAX_VALUE;

  PriorityRegions(int capacity) {
    this.capacity = capacity;
  }

  /** Records how many replicas the region misses after a check (0 removes it). */
  void update(long regionId, int missing, long nowMillis) {
    if (missing <= 0) {
      remove(regionId);
      return;
    }
    synchronized (this) {
      add(regionId, missing, nowMillis);
      size = entries.size();
    }
  }

  private void add(long regionId, int missing, long nowMillis) {
    Entry e = listed.contains(regionId) ? entries.get(regionId) : null;
    if (e != null) {
      count(e.missing, -1);
      e.missing = missing;
      count(missing, 1);
      return;
    }
    if (entries.size() >= capacity && !evictBelow(missing)) {
      return;
    }
    e = new Entry();
    e.missing = missing;
    e.lastMillis = nowMillis;
    entries.put(regionId, e);
    listed.add(regionId);
    count(missing, 1);
    nextDueMillis = Math.min(nextDueMillis, nowMillis);
  }

  private void count(int missing, int delta) {
    byMissing.merge(missing, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  private boolean evictBelow(int missing) {
    if (byMissing.isEmpty() || byMissing.firstKey() >= missing) {
      return false;
    }
    int least = byMissing.firstKey();
    for (Map.Entry<Long, Entry> me : entries.entrySet()) {
      if (me.getValue().missing == least) {
        drop(me.getKey());
        return true;
      }
    }
    return false;
  }

  /**
   * The regions due now, most missing first; each one's attempt count goes up and its clock
   * restarts.
   */
  synchronized List<Long> due(long nowMillis, long intervalMillis) {
    if (nowMillis < nextDueMillis) {
      return List.of();
    }
    List<Map.Entry<Long, Entry>> due = new ArrayList<>();
    long next = Long.MAX_VALUE;
    for (Map.Entry<Long, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (e.lastMillis + (long) e.attempt * BACKOFF_FACTOR * intervalMillis <= nowMillis) {
        due.add(me);
        next = Math.min(next, nowMillis + (long) (e.attempt + 1) * BACKOFF_FACTOR * intervalMillis);
      } else {
        next = Math.min(next, e.lastMillis + (long) e.attempt * BACKOFF_FACTOR * intervalMillis);
      }
    }
    nextDueMillis = next;
    due.sort((a, b) -> Integer.compare(b.getValue().missing, a.getValue().missing));
    List<Long> ids = new ArrayList<>(due.size());
    for (Map.Entry<Long, Entry> me : due) {
      me.getValue().attempt++;
      me.getValue().lastMillis = nowMillis;
      ids.add(me.getKey());
    }
    return ids;
  }

  void remove(long regionId) {
    if (size == 0) {
      return;
    }
    synchronized (this) {
      drop(regionId);
      size = entries.size();
    }
  }

  private void drop(long regionId) {
    if (!listed.remove(regionId)) {
      return;
    }
    Entry e = entries.remove(regionId);
    if (e != null) {
      count(e.missing, -1);
    }
  }

  int size() {
    return size;
  }

  synchronized boolean contains(long regionId) {
    return listed.contains(regionId);
  }
}
