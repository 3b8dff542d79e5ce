package dev.jpd.core.label;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the rules and their range index, PD's {@code rangelist}: every
 * distinct range boundary (start or end of any range of any rule) starts a segment that runs to
 * the next boundary, and each segment lists the rules covering it, best first (higher index,
 * then smaller id). Keys before the first boundary have no segment.
 *
 * <p>Built whole on every change; readers use it without locks.
 */
final class LabelIndex {
  static final LabelIndex EMPTY = build(List.of(), Instant.EPOCH);

  private static final Comparator<LabelRule> BEST_FIRST =
      Comparator.comparingInt(LabelRule::index).reversed().thenComparing(LabelRule::id);

  final Map<String, LabelRule> rules;
  private final byte[][] keys;
  private final List<List<LabelRule>> segments;
  /** The earliest label expiry among the rules, or null: until then this snapshot stays exact. */
  final Instant nextExpiry;

  private LabelIndex(
      Map<String, LabelRule> rules, byte[][] keys, List<List<LabelRule>> segments, Instant next) {
    this.rules = rules;
    this.keys = keys;
    this.segments = segments;
    this.nextExpiry = next;
  }

  /** The index of the rules as they are at {@code now}: expired labels and emptied rules left out. */
  static LabelIndex build(Collection<LabelRule> all, Instant now) {
    TreeMap<String, LabelRule> rules = new TreeMap<>();
    Instant next = null;
    record Point(byte[] key, boolean start, LabelRule rule) {}
    List<Point> points = new ArrayList<>();
    for (LabelRule r : all) {
      LabelRule live = r.withoutExpired(now);
      if (live == null) {
        continue;
      }
      rules.put(live.id(), live);
      Instant e = live.firstExpiry();
      if (e != null && (next == null || e.isBefore(next))) {
        next = e;
      }
      for (int i = 0; i < live.rangeCount(); i++) {
        points.add(new Point(live.rangeStart(i), true, live));
        if (live.rangeEnd(i).length > 0) {
          points.add(new Point(live.rangeEnd(i), false, live));
        }
      }
    }
    points.sort((a, b) -> Arrays2.compare(a.key(), b.key()));
    List<byte[]> keys = new ArrayList<>();
    List<List<LabelRule>> segments = new ArrayList<>();
    // a rule may have several (even overlapping) ranges: count how many cover the sweep point
    Map<LabelRule, Integer> active = new IdentityHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      active.merge(p.rule(), p.start() ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
      if (i == points.size() - 1 || Arrays2.compare(p.key(), points.get(i + 1).key()) != 0) {
        List<LabelRule> seg = new ArrayList<>(active.keySet());
        seg.sort(BEST_FIRST);
        keys.add(p.key());
        segments.add(List.copyOf(seg));
      }
    }
    return new LabelIndex(
        Collections.unmodifiableMap(rules), keys.toArray(new byte[0][]), List.copyOf(segments), next);
  }

  /**
   * The rules whose ranges hold all of {@code [start, end)} (empty end = +inf), best first; none
   * when a boundary lies strictly inside the range (PD's {@code rangelist.GetData}: such a region
   * is to be split first).
   */
  List<LabelRule> covering(byte[] start, byte[] end) {
    int i = firstAfter(start);
    if (i == 0) {
      return List.of();
    }
    if (i < keys.length && (end.length == 0 || Arrays2.compare(end, keys[i]) > 0)) {
      return List.of();
    }
    return segments.get(i - 1);
  }

  /** The boundaries strictly inside {@code (start, end)}, ascending (empty end = +inf). */
  List<byte[]> splitKeys(byte[] start, byte[] end) {
    List<byte[]> out = new ArrayList<>();
    for (int i = firstAfter(start); i < keys.length; i++) {
      if (end.length > 0 && Arrays2.compare(keys[i], end) >= 0) {
        break;
      }
      out.add(keys[i].clone());
    }
    return out;
  }

  /** The position of the first boundary greater than {@code key}. */
  private int firstAfter(byte[] key) {
    int lo = 0;
    int hi = keys.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Arrays2.compare(keys[mid], key) > 0) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
