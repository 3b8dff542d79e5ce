package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.Operator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finished operators, kept for {@link #TTL} after they end (PD's {@code records}, keyed by
 * region like PD's TTL cache: a region's newer record replaces its older one). Thread-safe.
 */
final class OperatorRecords {
  /** PD's {@code operatorStatusRemainTime}. */
  static final Duration TTL = Duration.ofMinutes(10);

  private record Entry(Operator op, long finishMillis) {}

  private final Map<Long, Entry> byRegion = new ConcurrentHashMap<>();

  void put(Operator op, long finishMillis) {
    byRegion.put(op.regionId(), new Entry(op, finishMillis));
  }

  /** The region's last record if it is still kept at {@code nowMillis}, or null. */
  Operator get(long regionId, long nowMillis) {
    Entry e = byRegion.get(regionId);
    return e != null && live(e, nowMillis) ? e.op : null;
  }

  /** Records that ended at or after {@code fromMillis} and are still kept, oldest first. */
  List<Operator> since(long fromMillis, long nowMillis) {
    List<Entry> kept = new ArrayList<>();
    for (Entry e : byRegion.values()) {
      if (e.finishMillis >= fromMillis && live(e, nowMillis)) {
        kept.add(e);
      }
    }
    kept.sort(Comparator.comparingLong(Entry::finishMillis));
    List<Operator> ops = new ArrayList<>(kept.size());
    for (Entry e : kept) {
      ops.add(e.op);
    }
    return ops;
  }

  /** Drops the records older than the TTL. */
  void prune(long nowMillis) {
    byRegion.values().removeIf(e -> !live(e, nowMillis));
  }

  int size() {
    return byRegion.size();
  }

  private static boolean live(Entry e, long nowMillis) {
    return nowMillis - e.finishMillis < TTL.toMillis();
  }
}
