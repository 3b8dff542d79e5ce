package dev.jpd.core.operator;

/** The store limits an operator step spends (PD's {@code storelimit.Type}, v1). */
public enum LimitType {
  ADD_PEER("add-peer"),
  REMOVE_PEER("remove-peer");

  private final String pdName;

  LimitType(String pdName) {
    this.pdName = pdName;
  }

  public String pdName() {
    return pdName;
  }

  /** A region above this size (MiB) costs a full step; PD's {@code SmallRegionThreshold}. */
  public static final long SMALL_REGION_THRESHOLD_MIB = 20;

  /** Cost of one step for a region above the small-region threshold. */
  public static final long REGION_INFLUENCE = 1000;

  /** Cost of one step for a region of at most 20 MiB that is not empty. */
  public static final long SMALL_REGION_INFLUENCE = 200;

  /** The cost of a peer step for a region of this approximate size (MiB); empty costs 0. */
  public static long stepCost(long regionSizeMiB) {
    if (regionSizeMiB > SMALL_REGION_THRESHOLD_MIB) {
      return REGION_INFLUENCE;
    }
    if (regionSizeMiB > 1) {
      return SMALL_REGION_INFLUENCE;
    }
    return 0;
  }
}
