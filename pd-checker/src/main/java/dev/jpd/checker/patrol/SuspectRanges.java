package dev.jpd.checker.patrol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * PD's {@code suspectKeyRanges}: key ranges whose regions should be looked at soon (a rule or
 * label changed, {@code /regions/accelerate-schedule}); each lives 3 minutes. The patrol takes
 * one range per tick, checks at most a scan's worth of its regions, and puts back the rest.
 */
final class SuspectRanges {
  static final long TTL_MILLIS = 3 * 60_000L;

  /** A range [start, end); an empty end is the end of the key space. */
  record Range(byte[] start, byte[] end, long expiresMillis) {}

  private final Deque<Range> ranges = new ArrayDeque<>();

  synchronized void add(byte[] start, byte[] end, long nowMillis) {
    ranges.addLast(new Range(start.clone(), end.clone(), nowMillis + TTL_MILLIS));
  }

  /** Puts back the unchecked rest of a range, keeping its expiry. */
  synchronized void putBack(Range r) {
    ranges.addFirst(r);
  }

  /** The oldest live range, or null. */
  synchronized Range poll(long nowMillis) {
    Range r;
    while ((r = ranges.pollFirst()) != null) {
      if (r.expiresMillis() > nowMillis) {
        return r;
      }
    }
    return null;
  }

  synchronized int size() {
    return ranges.size();
  }

  synchronized void clear() {
    ranges.clear();
  }
}
