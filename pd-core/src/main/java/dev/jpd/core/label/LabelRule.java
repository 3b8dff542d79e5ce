package dev.jpd.core.label;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A region-label rule as PD has it ({@code pkg/schedule/labeler/rules.go}): labels given to every
 * region inside one of the rule's key ranges. JSON fields: {@code id}, {@code index} (higher wins
 * when rules overlap on a key), {@code labels}, {@code rule_type} (only {@code "key-range"}) and
 * {@code data} (the ranges, hex).
 *
 * <p>Immutable; built only through {@link #create}, which checks it in PD's order (id, labels,
 * TTLs, rule type, ranges) and throws {@link LabelRuleException} naming the first problem.
 */
public final class LabelRule {
  /** The only rule type PD supports. */
  public static final String KEY_RANGE = "key-range";

  private final String id;
  private final int index;
  private final List<RegionLabel> labels;
  private final String ruleType;
  private final List<HexRange> data;
  /** Decoded {@link #data}: starts[i] and ends[i] (empty end = +inf). */
  private final byte[][] starts;
  private final byte[][] ends;

  private LabelRule(
      String id, int index, List<RegionLabel> labels, String ruleType, List<HexRange> data,
      byte[][] starts, byte[][] ends) {
    this.id = id;
    this.index = index;
    this.labels = List.copyOf(labels);
    this.ruleType = ruleType;
    this.data = List.copyOf(data);
    this.starts = starts;
    this.ends = ends;
  }

  /** A checked rule; see the class note for what is checked. */
  public static LabelRule create(
      String id, int index, List<RegionLabel> labels, String ruleType, List<HexRange> data) {
    if (id == null || id.isEmpty()) {
      throw new LabelRuleException("empty rule id");
    }
    if (labels == null || labels.isEmpty()) {
      throw new LabelRuleException("rule \"" + id + "\": no region labels");
    }
    List<RegionLabel> checked = new ArrayList<>(labels.size());
    for (RegionLabel l : labels) {
      try {
        checked.add(Objects.requireNonNull(l, "null region label").checked());
      } catch (LabelRuleException e) {
        throw new LabelRuleException("rule \"" + id + "\": " + e.getMessage());
      }
    }
    if (!KEY_RANGE.equals(ruleType)) {
      throw new LabelRuleException(
          "rule \"" + id + "\": invalid rule type: \"" + ruleType + "\" (only \"key-range\" is supported)");
    }
    if (data == null || data.isEmpty()) {
      throw new LabelRuleException("rule \"" + id + "\": no key ranges");
    }
    byte[][] starts = new byte[data.size()][];
    byte[][] ends = new byte[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      HexRange r = data.get(i);
      starts[i] = hex(id, r.startKey());
      ends[i] = hex(id, r.endKey());
      if (ends[i].length > 0 && Arrays2.compare(ends[i], starts[i]) <= 0) {
        throw new LabelRuleException(
            "rule \"" + id + "\": endKey should be greater than startKey (start_key \""
                + r.startKey() + "\", end_key \"" + r.endKey() + "\")");
      }
    }
    return new LabelRule(id, index, checked, ruleType, data, starts, ends);
  }

  private static byte[] hex(String id, String s) {
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new LabelRuleException("rule \"" + id + "\": invalid hex key \"" + s + "\"");
    }
  }

  public String id() {
    return id;
  }

  public int index() {
    return index;
  }

  public List<RegionLabel> labels() {
    return labels;
  }

  public String ruleType() {
    return ruleType;
  }

  /** The key ranges, hex as given. */
  public List<HexRange> data() {
    return data;
  }

  int rangeCount() {
    return starts.length;
  }

  byte[] rangeStart(int i) {
    return starts[i];
  }

  byte[] rangeEnd(int i) {
    return ends[i];
  }

  /** With every TTL label's missing {@code start_at} set to {@code now}. */
  LabelRule stamped(Instant now) {
    List<RegionLabel> out = new ArrayList<>(labels.size());
    boolean changed = false;
    for (RegionLabel l : labels) {
      RegionLabel s = l.stamped(now);
      changed |= s != l;
      out.add(s);
    }
    return changed ? new LabelRule(id, index, out, ruleType, data, starts, ends) : this;
  }

  /** Without the labels expired at {@code now}: this rule if none, null if all. */
  LabelRule withoutExpired(Instant now) {
    List<RegionLabel> out = new ArrayList<>(labels.size());
    for (RegionLabel l : labels) {
      if (!l.expiredAt(now)) {
        out.add(l);
      }
    }
    if (out.size() == labels.size()) {
      return this;
    }
    return out.isEmpty() ? null : new LabelRule(id, index, out, ruleType, data, starts, ends);
  }

  /** The earliest expiry among the labels, or null. */
  Instant firstExpiry() {
    Instant min = null;
    for (RegionLabel l : labels) {
      if (l.expireAt() != null && (min == null || l.expireAt().isBefore(min))) {
        min = l.expireAt();
      }
    }
    return min;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelRule r
        && id.equals(r.id)
        && index == r.index
        && labels.equals(r.labels)
        && ruleType.equals(r.ruleType)
        && data.equals(r.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, index, labels, ruleType, data);
  }

  @Override
  public String toString() {
    return "id: " + id + ", index: " + index + ", type: " + ruleType + ", labels: " + labels
        + ", data: " + data;
  }
}
