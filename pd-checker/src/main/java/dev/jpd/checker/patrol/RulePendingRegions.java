package dev.jpd.checker.patrol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * PD's rule-checker {@code pendingList}: regions the rule checker could not fix because no store
 * qualifies as a target (not merely a temporarily unavailable one: those go to {@link
 * PendingRegions}). No expiry: an entry stays until the rule checker sees the region again and
 * finds a target or nothing to fix, or the region is gone. At most {@code capacity} entries, the
 * oldest dropped first. The patrol re-checks them all when a store changes, which is when a
 * target may appear. {@code /regions/replicated} answers {@code PENDING} for a range holding one.
 */
final class RulePendingRegions {
  static final int CAPACITY = 100_000;

  private final LinkedHashSet<Long> ids = new LinkedHashSet<>();
  /** {@code ids.size()}, written under the lock after every change; read without it. */
  private volatile int size;
  private final int capacity;

  RulePendingRegions(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds the region (an entry already there keeps its place). */
  synchronized void add(long regionId) {
    if (ids.add(regionId) && ids.size() > capacity) {
      Iterator<Long> it = ids.iterator();
      it.next();
      it.remove();
    }
    size = ids.size();
  }

  /** Removes the region; takes no lock while the list is empty (the patrol asks per region). */
  void remove(long regionId) {
    if (size == 0) {
      return;
    }
    synchronized (this) {
      ids.remove(regionId);
      size = ids.size();
    }
  }

  synchronized boolean contains(long regionId) {
    return ids.contains(regionId);
  }

  /** The ids, oldest first. */
  synchronized List<Long> ids() {
    return new ArrayList<>(ids);
  }

  int size() {
    return size;
  }

  synchronized void clear() {
    ids.clear();
    size = 0;
  }
}
