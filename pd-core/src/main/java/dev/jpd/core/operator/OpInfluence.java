package dev.jpd.core.operator;

import java.util.HashMap;
import java.util.Map;

/**
 * What operators will do to stores once they finish: region and leader counts and sizes, and the
 * store-limit cost of their peer steps (PD's {@code OpInfluence}). An accumulator: steps add to
 * it, schedulers read it when scoring stores. Not thread-safe.
 */
public final class OpInfluence {
  private final Map<Long, StoreInfluence> byStore = new HashMap<>();

  /** The influence on one store, created empty on first use. */
  public StoreInfluence store(long storeId) {
    return byStore.computeIfAbsent(storeId, id -> new StoreInfluence());
  }

  /** The influence on one store, or null when nothing touches it. */
  public StoreInfluence get(long storeId) {
    return byStore.get(storeId);
  }

  public Map<Long, StoreInfluence> all() {
    return byStore;
  }

  /** One store's share. Sizes are approximate sizes in MiB. */
  public static final class StoreInfluence {
    public long regionSize;
    public long regionCount;
    public long leaderSize;
    public long leaderCount;
    private final long[] stepCost = new long[LimitType.values().length];

    public long stepCost(LimitType t) {
      return stepCost[t.ordinal()];
    }

    /** Adds the cost of one peer step for a region of this size ({@link LimitType#stepCost}). */
    public void adjustStepCost(LimitType t, long regionSizeMiB) {
      stepCost[t.ordinal()] += LimitType.stepCost(regionSizeMiB);
    }

    /** Adds an exact cost (a remove-peer on a down store is capped at the small cost). */
    public void addStepCost(LimitType t, long cost) {
      stepCost[t.ordinal()] += cost;
    }

    @Override
    public String toString() {
      return "regionSize=" + regionSize + " regionCount=" + regionCount + " leaderSize="
          + leaderSize + " leaderCount=" + leaderCount + " addPeerCost="
          + stepCost[0] + " removePeerCost=" + stepCost[1];
    }
  }
}
