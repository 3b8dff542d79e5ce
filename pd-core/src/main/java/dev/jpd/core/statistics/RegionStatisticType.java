package dev.jpd.core.statistics;

/**
 * The region health conditions PD counts ({@code pkg/statistics/region_collection.go}). Each has
 * the name {@code GET /pd/api/v1/regions/check/{name}} uses and the {@code type} label of the
 * {@code pd_regions_status} gauge.
 */
public enum RegionStatisticType {
  MISS_PEER("miss-peer"),
  EXTRA_PEER("extra-peer"),
  DOWN_PEER("down-peer"),
  PENDING_PEER("pending-peer"),
  OFFLINE_PEER("offline-peer"),
  LEARNER_PEER("learner-peer"),
  EMPTY_REGION("empty-region"),
  OVERSIZED_REGION("oversized-region"),
  UNDERSIZED_REGION("undersized-region");

  private final String checkName;

  RegionStatisticType(String checkName) {
    this.checkName = checkName;
  }

  /** The name in {@code /regions/check/{name}}, e.g. {@code miss-peer}. */
  public String checkName() {
    return checkName;
  }

  /**
   * The {@code type} label of {@code pd_regions_status}: {@code miss-peer-region-count}, {@code
   * empty-region-count} (the {@code -region} types do not repeat it).
   */
  public String gaugeLabel() {
    return checkName.endsWith("-region") ? checkName + "-count" : checkName + "-region-count";
  }

  /** The type with this check name, or null. */
  public static RegionStatisticType byCheckName(String name) {
    for (RegionStatisticType t : values()) {
      if (t.checkName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
