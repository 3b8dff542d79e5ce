package dev.jpd.checker.patrol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Beyond PD: regions to check at once because a heartbeat showed them unhealthy or a store
 * changed state. First in, first out, each region once however often it is reported. Written by
 * heartbeat and store threads, drained by the patrol thread; lock-free, since every unhealthy
 * heartbeat adds here: a region id is queued only when it enters the set, and leaves the set
 * when it is taken.
 */
final class UrgentRegions {
  private final Set<Long> queued = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();

  void add(long regionId) {
    if (queued.add(regionId)) {
      order.offer(regionId);
    }
  }

  void addAll(long[] regionIds) {
    for (long id : regionIds) {
      add(id);
    }
  }

  /** Removes and returns up to {@code max} regions, oldest first. */
  List<Long> take(int max) {
    List<Long> out = new ArrayList<>(Math.min(max, queued.size()));
    Long id;
    while (out.size() < max && (id = order.poll()) != null) {
      queued.remove(id);
      out.add(id);
    }
    return out;
  }

  int size() {
    return queued.size();
  }

  void clear() {
    Long id;
    while ((id = order.poll()) != null) {
      queued.remove(id);
    }
  }
}
