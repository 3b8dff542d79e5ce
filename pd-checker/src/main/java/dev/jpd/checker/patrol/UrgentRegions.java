package dev.jpd.checker.patrol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Beyond PD: regions to check at once because a heartbeat showed them unhealthy or a store
 * changed state. First in, first out, each region once however often it is reported. Written by
 * heartbeat and store threads, drained by the patrol thread.
 */
final class UrgentRegions {
  private final LinkedHashSet<Long> ids = new LinkedHashSet<>();

  synchronized void add(long regionId) {
    ids.add(regionId);
  }

  synchronized void addAll(long[] regionIds) {
    for (long id : regionIds) {
      ids.add(id);
    }
  }

  /** Removes and returns up to {@code max} regions, oldest first. */
  synchronized List<Long> take(int max) {
    List<Long> out = new ArrayList<>(Math.min(max, ids.size()));
    Iterator<Long> it = ids.iterator();
    while (it.hasNext() && out.size() < max) {
      out.add(it.next());
      it.remove();
    }
    return out;
  }

  synchronized int size() {
    return ids.size();
  }

  synchronized void clear() {
    ids.clear();
  }
}
