package dev.jpd.checker.patrol;

import dev.jpd.core.region.LongHashSet;

/**
 * Beyond PD: regions to check at once because a heartbeat showed them unhealthy or a store
 * changed state. First in, first out, each region once however often it is reported. Written by
 * heartbeat and store threads, drained by the patrol thread.
 *
 * <p>Unboxed: a set of queued ids ({@link LongHashSet}) and a ring of ids in arrival order, under
 * this object's lock, held for a probe and a store per id. A store turning Down queues all of its
 * regions (150,000 on a big store) in one {@link #addAll} under one lock, which the boxed
 * concurrent set this replaced spent more time on than on a tenth of their checks.
 */
final class UrgentRegions {
  private static final int MIN_CAPACITY = 16;

  private final LongHashSet queued = new LongHashSet();
  /** Ids in arrival order: {@code size} of them from {@code head}, wrapping. */
  private long[] ring = new long[MIN_CAPACITY];
  private int head;

  synchronized void add(long regionId) {
    if (queued.add(regionId)) {
      offer(regionId);
    }
  }

  synchronized void addAll(long[] regionIds) {
    for (long id : regionIds) {
      if (queued.add(id)) {
        offer(id);
      }
    }
  }

  /** Removes and returns up to {@code max} regions, oldest first. */
  synchronized long[] take(int max) {
    int n = Math.min(max, queued.size());
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long id = ring[head];
      head = (head + 1) & (ring.length - 1);
      queued.remove(id);
      out[i] = id;
    }
    return out;
  }

  int size() {
    return queued.size();
  }

  synchronized void clear() {
    while (queued.size() > 0) {
      queued.remove(ring[head]);
      head = (head + 1) & (ring.length - 1);
    }
    head = 0;
  }

  /** Appends to the ring; the set already counts the id, so the ring holds {@code size - 1}. */
  private void offer(long id) {
    int count = queued.size() - 1;
    if (count == ring.length) {
      long[] bigger = new long[ring.length * 2];
      for (int i = 0; i < count; i++) {
        bigger[i] = ring[(head + i) & (ring.length - 1)];
      }
      ring = bigger;
      head = 0;
    }
    ring[(head + count) & (ring.length - 1)] = id;
  }
}
