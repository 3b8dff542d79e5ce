package dev.jpd.core.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * What produced an operator and what it touches, as PD's bit flags ({@code kind.go}). An
 * operator's kinds are an int bit set; the lowest set bit is its "scheduler kind", used when
 * counting operators against schedule limits. The enum order is the bit order.
 */
public enum OpKind {
  /** Initiated by an admin through the HTTP API. */
  ADMIN("admin"),
  AFFINITY("affinity"),
  /** Initiated by the merge checker. */
  MERGE("merge"),
  RANGE("range"),
  /** Initiated by the replica or rule checker. */
  REPLICA("replica"),
  SPLIT("split"),
  HOT_REGION("hot-region"),
  /** Adds or removes peers: may take long (snapshots). */
  REGION("region"),
  /** Transfers the leader. */
  LEADER("leader"),
  WITNESS_LEADER("witness-leader"),
  WITNESS("witness");

  /** {@link #values()} once: that call copies the array, and {@link #schedulerKind} is hot. */
  private static final OpKind[] ALL = values();

  private final String pdName;

  OpKind(String pdName) {
    this.pdName = pdName;
  }

  public int bit() {
    return 1 << ordinal();
  }

  public String pdName() {
    return pdName;
  }

  public boolean in(int kinds) {
    return (kinds & bit()) != 0;
  }

  public static int of(OpKind... kinds) {
    int bits = 0;
    for (OpKind k : kinds) {
      bits |= k.bit();
    }
    return bits;
  }

  /** The kind named as PD names it ("hot-region"), or null. */
  public static OpKind byPdName(String name) {
    for (OpKind k : values()) {
      if (k.pdName.equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** The lowest set bit: the kind the operator is counted under, or null for none. */
  public static OpKind schedulerKind(int kinds) {
    if (kinds == 0) {
      return null;
    }
    return ALL[Integer.numberOfTrailingZeros(kinds)];
  }

  /** PD's text form: the kinds' names joined by commas, in bit order ("admin,region"). */
  public static String toString(int kinds) {
    List<String> names = new ArrayList<>();
    for (OpKind k : values()) {
      if (k.in(kinds)) {
        names.add(k.pdName);
      }
    }
    return names.isEmpty() ? "unknown" : String.join(",", names);
  }
}
