package dev.jpd.core.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The key space cut at every rule boundary, each piece with the rules that apply to it (PD
 * {@code ruleList.go}). Built once per write; lookups are a binary search over the cut points.
 *
 * <p>Within a piece the covering rules are sorted by (group index, group id, rule index, rule
 * id). Walking that order, a rule with {@code override} drops the earlier rules of its own group,
 * and the first rule of a group whose {@link RuleGroup#override()} is set drops every earlier
 * group. Cost: O(b · r log r) to build for b boundaries and r rules; O(log b) per lookup.
 */
final class RuleList {
  /** One piece [start, end) of the key space; {@code end} empty = unbounded. */
  record Range(byte[] start, byte[] end, List<Rule> rules) {}

  private final List<Range> ranges; // sorted, contiguous, first starts at the empty key

  private RuleList(List<Range> ranges) {
    this.ranges = ranges;
  }

  static RuleList build(Collection<Rule> rules, Map<String, RuleGroup> groups) {
    TreeSet<byte[]> cuts = new TreeSet<>(Arrays::compareUnsigned);
    cuts.add(new byte[0]);
    for (Rule r : rules) {
      cuts.add(r.startKey());
      if (r.endKeyHex().length() > 0) {
        cuts.add(r.endKey());
      }
    }
    List<byte[]> points = new ArrayList<>(cuts);
    List<Range> out = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      byte[] start = points.get(i);
      byte[] end = i + 1 < points.size() ? points.get(i + 1) : new byte[0];
      List<Rule> covering = new ArrayList<>();
      for (Rule r : rules) {
        if (covers(r, start)) {
          covering.add(r);
        }
      }
      out.add(new Range(start, end, apply(covering, groups)));
    }
    return new RuleList(List.copyOf(out));
  }

  private static boolean covers(Rule r, byte[] key) {
    return Arrays.compareUnsigned(r.startKey(), key) <= 0
        && (r.endKeyHex().isEmpty() || Arrays.compareUnsigned(key, r.endKey()) < 0);
  }

  /** PD's {@code prepareRulesForApply}: sort, then honour rule and group override. */
  static List<Rule> apply(List<Rule> covering, Map<String, RuleGroup> groups) {
    Comparator<Rule> order =
        Comparator.<Rule>comparingInt(r -> groupIndex(groups, r.groupId()))
            .thenComparing(Rule::groupId)
            .thenComparingInt(Rule::index)
            .thenComparing(Rule::id);
    List<Rule> sorted = new ArrayList<>(covering);
    sorted.sort(order);
    List<Rule> res = new ArrayList<>();
    int j = 0;
    for (int i = 1; i < sorted.size(); i++) {
      if (!sorted.get(j).groupId().equals(sorted.get(i).groupId())) {
        RuleGroup g = groups.get(sorted.get(i).groupId());
        if (g != null && g.override()) {
          res.clear();
        } else {
          res.addAll(sorted.subList(j, i));
        }
        j = i;
      }
      if (sorted.get(i).override()) {
        j = i;
      }
    }
    if (!sorted.isEmpty()) {
      res.addAll(sorted.subList(j, sorted.size()));
    }
    return List.copyOf(res);
  }

  private static int groupIndex(Map<String, RuleGroup> groups, String id) {
    RuleGroup g = groups.get(id);
    return g == null ? 0 : g.index();
  }

  List<Range> ranges() {
    return ranges;
  }

  private int indexOf(byte[] key) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Arrays.compareUnsigned(ranges.get(mid).start(), key) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The rules applied to {@code key}. */
  List<Rule> rulesForKey(byte[] key) {
    return ranges.get(indexOf(key)).rules();
  }

  /**
   * The rules applied to the whole of [start, end) ({@code end} empty = unbounded) when that range
   * lies in one piece; an empty list when it crosses a rule boundary (PD's {@code
   * getRulesForApplyRegion}: such a region gets no rules until it is split there).
   */
  List<Rule> rulesForRange(byte[] start, byte[] end) {
    int i = indexOf(start);
    if (i + 1 < ranges.size() && before(ranges.get(i + 1).start(), end)) {
      return List.of();
    }
    return ranges.get(i).rules();
  }

  /**
   * The rule boundaries strictly inside [start, end) ({@code end} empty = unbounded), sorted: the
   * keys a region spanning that range is split at (PD's {@code getSplitKeys}).
   */
  List<byte[]> splitKeys(byte[] start, byte[] end) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = indexOf(start) + 1; i < ranges.size(); i++) {
      byte[] cut = ranges.get(i).start();
      if (!before(cut, end)) {
        break;
      }
      keys.add(cut.clone()); // after start: the piece holding start begins at or before it
    }
    return keys;
  }

  /** {@code key < end}, an empty {@code end} being the end of the key space. */
  private static boolean before(byte[] key, byte[] end) {
    return end.length == 0 || Arrays.compareUnsigned(key, end) < 0;
  }

  /** PD's {@code checkApplyRules}: every piece has a voter or leader, at most one leader. */
  void checkApply() {
    for (Range r : ranges) {
      int leaders = 0;
      int voters = 0;
      for (Rule rule : r.rules()) {
        PeerRole role = rule.peerRole();
        if (role == PeerRole.LEADER) {
          leaders += rule.count();
        } else if (role == PeerRole.VOTER) {
          voters += rule.count();
        }
      }
      String where = "key range [" + hex(r.start()) + ", " + hex(r.end()) + ")";
      if (leaders > 1) {
        throw new IllegalArgumentException(where + " has " + leaders
            + " leader replicas across its rules; at most one is allowed");
      }
      if (leaders + voters == 0) {
        throw new IllegalArgumentException(
            where + " would have no voter or leader rule; keep at least one");
      }
    }
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
