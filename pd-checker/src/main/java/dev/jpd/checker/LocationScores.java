package dev.jpd.checker;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.List;

/**
 * Isolation by {@code location-labels}, as pure functions (PD's {@code DistinctScore} and {@code
 * CompareLocation}, {@code pkg/core/store.go}).
 */
final class LocationScores {
  /** PD's {@code replicaBaseScore}. */
  static final double BASE = 100;

  private LocationScores() {}

  /** The store's value of the label (keys compare case-insensitively), or "" when unset. */
  static String labelValue(StoreInfo s, String key) {
    for (Metapb.StoreLabel l : s.meta().getLabelsList()) {
      String k = l.getKey();
      // the exact spelling first: an intrinsic compare, where case folding goes char by char
      if (k.equals(key) || k.equalsIgnoreCase(key)) {
        return l.getValue();
      }
    }
    return "";
  }

  /**
   * The first label level where the two stores differ, or -1 when they share every level. An
   * unset label matches any value (the store may be anywhere at that level).
   */
  static int compareLocation(StoreInfo a, StoreInfo b, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      String va = labelValue(a, labels.get(i));
      String vb = labelValue(b, labels.get(i));
      if (!va.isEmpty() && !vb.isEmpty() && !va.equalsIgnoreCase(vb)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * How well {@code other} is isolated from {@code stores} (other itself skipped): Σ over the
   * stores that differ from it of 100^(levels − first differing level − 1). Higher is better.
   */
  static double distinctScore(List<String> labels, List<StoreInfo> stores, StoreInfo other) {
    double score = 0;
    for (StoreInfo s : stores) {
      if (s.id() == other.id()) {
        continue;
      }
      int index = compareLocation(s, other, labels);
      if (index != -1) {
        score += Math.pow(BASE, labels.size() - index - 1);
      }
    }
    return score;
  }

  /**
   * Whether every pair of the stores differs at the first location label (true with no labels or
   * fewer than two stores): then no store can be better isolated than any of them.
   */
  static boolean apartAtTopLevel(List<StoreInfo> stores, List<String> labels) {
    // compareLocation(a, b) == 0 exactly when both have the first label set and the values
    // differ: read each store's value once instead of once per pair
    if (labels.isEmpty() || stores.size() < 2) {
      return true;
    }
    String[] top = new String[stores.size()];
    for (int i = 0; i < top.length; i++) {
      top[i] = labelValue(stores.get(i), labels.get(0));
      if (top[i].isEmpty()) {
        return false;
      }
      for (int j = 0; j < i; j++) {
        if (top[i].equalsIgnoreCase(top[j])) {
          return false;
        }
      }
    }
    return true;
  }
}
