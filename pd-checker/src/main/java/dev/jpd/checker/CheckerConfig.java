package dev.jpd.checker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the checkers and the patrol loop read of the {@code [schedule]} and {@code [replication]}
 * config, with PD's key names in the component docs. The server fills it from its config (and
 * again after every config change: the chain reads a fresh view through a supplier on each check).
 *
 * @param maxReplicas {@code max-replicas}
 * @param locationLabels {@code location-labels}, outermost level first
 * @param isolationLevel {@code isolation-level}, one of the location labels or empty
 * @param strictlyMatchLabel {@code strictly-match-label} (read by the server only, kept for views)
 * @param maxStoreDownTime {@code max-store-down-time}
 * @param replicaScheduleLimit {@code replica-schedule-limit}
 * @param mergeScheduleLimit {@code merge-schedule-limit}
 * @param enableRemoveDownReplica {@code enable-remove-down-replica}
 * @param enableReplaceOfflineReplica {@code enable-replace-offline-replica}
 * @param enableMakeUpReplica {@code enable-make-up-replica}
 * @param enableRemoveExtraReplica {@code enable-remove-extra-replica}
 * @param enableLocationReplacement {@code enable-location-replacement}
 * @param enablePlacementRules {@code enable-placement-rules}: the rule checker replaces the
 *     learner and replica checkers when it is on <em>and</em> a rule checker is installed
 * @param splitMergeInterval {@code split-merge-interval}
 * @param maxMergeRegionSizeMiB {@code max-merge-region-size}
 * @param maxMergeRegionKeys {@code max-merge-region-keys} (PD's computed value: 0 means size ×
 *     10 000)
 * @param enableOneWayMerge {@code enable-one-way-merge}
 * @param enableCrossTableMerge {@code enable-cross-table-merge} (the only supported mode: regions
 *     of different tables merge, as with PD's default)
 * @param regionMaxSizeMiB TiKV's {@code region-max-size} (from the store config; 144 MiB)
 * @param patrolRegionInterval {@code patrol-region-interval}
 * @param lowSpaceRatio {@code low-space-ratio}: no new replica on a store above it
 * @param maxSnapshotCount {@code max-snapshot-count}: a store handling more is a busy target
 * @param maxPendingPeerCount {@code max-pending-peer-count}: a store with more is a busy target
 * @param haltScheduling {@code halt-scheduling}: the patrol loop does nothing
 * @param patrolRegionWorkerCount {@code patrol-region-worker-count} (1–8): threads that check a
 *     batch of regions at once; their operators are still added one at a time, in batch order
 */
public record CheckerConfig(
    int maxReplicas,
    List<String> locationLabels,
    String isolationLevel,
    boolean strictlyMatchLabel,
    Duration maxStoreDownTime,
    long replicaScheduleLimit,
    long mergeScheduleLimit,
    boolean enableRemoveDownReplica,
    boolean enableReplaceOfflineReplica,
    boolean enableMakeUpReplica,
    boolean enableRemoveExtraReplica,
    boolean enableLocationReplacement,
    boolean enablePlacementRules,
    Duration splitMergeInterval,
    long maxMergeRegionSizeMiB,
    long maxMergeRegionKeys,
    boolean enableOneWayMerge,
    boolean enableCrossTableMerge,
    long regionMaxSizeMiB,
    Duration patrolRegionInterval,
    double lowSpaceRatio,
    long maxSnapshotCount,
    long maxPendingPeerCount,
    boolean haltScheduling,
    int patrolRegionWorkerCount) {

  public CheckerConfig {
    locationLabels = List.copyOf(locationLabels);
    isolationLevel = isolationLevel == null ? "" : isolationLevel;
    Objects.requireNonNull(maxStoreDownTime, "max-store-down-time");
    Objects.requireNonNull(splitMergeInterval, "split-merge-interval");
    Objects.requireNonNull(patrolRegionInterval, "patrol-region-interval");
    if (maxReplicas < 1) {
      throw new IllegalArgumentException("max-replicas must be at least 1, got " + maxReplicas);
    }
    if (patrolRegionWorkerCount < 1 || patrolRegionWorkerCount > MAX_PATROL_WORKERS) {
      throw new IllegalArgumentException("patrol-region-worker-count must be between 1 and "
          + MAX_PATROL_WORKERS + ", got " + patrolRegionWorkerCount);
    }
  }

  /** PD's upper bound of {@code patrol-region-worker-count}. */
  public static final int MAX_PATROL_WORKERS = 8;

  /** PD's defaults, except placement rules off (the rule checker is not here yet). */
  public static CheckerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxReplicas = maxReplicas;
    b.locationLabels = locationLabels;
    b.isolationLevel = isolationLevel;
    b.strictlyMatchLabel = strictlyMatchLabel;
    b.maxStoreDownTime = maxStoreDownTime;
    b.replicaScheduleLimit = replicaScheduleLimit;
    b.mergeScheduleLimit = mergeScheduleLimit;
    b.enableRemoveDownReplica = enableRemoveDownReplica;
    b.enableReplaceOfflineReplica = enableReplaceOfflineReplica;
    b.enableMakeUpReplica = enableMakeUpReplica;
    b.enableRemoveExtraReplica = enableRemoveExtraReplica;
    b.enableLocationReplacement = enableLocationReplacement;
    b.enablePlacementRules = enablePlacementRules;
    b.splitMergeInterval = splitMergeInterval;
    b.maxMergeRegionSizeMiB = maxMergeRegionSizeMiB;
    b.maxMergeRegionKeys = maxMergeRegionKeys;
    b.enableOneWayMerge = enableOneWayMerge;
    b.enableCrossTableMerge = enableCrossTableMerge;
    b.regionMaxSizeMiB = regionMaxSizeMiB;
    b.patrolRegionInterval = patrolRegionInterval;
    b.lowSpaceRatio = lowSpaceRatio;
    b.maxSnapshotCount = maxSnapshotCount;
    b.maxPendingPeerCount = maxPendingPeerCount;
    b.haltScheduling = haltScheduling;
    b.patrolRegionWorkerCount = patrolRegionWorkerCount;
    return b;
  }

  /** {@code max-merge-region-keys} as PD reads it: 0 means size × 10 000. */
  public long effectiveMaxMergeRegionKeys() {
    return maxMergeRegionKeys > 0 ? maxMergeRegionKeys : maxMergeRegionSizeMiB * 10_000;
  }

  /** A mutable builder holding PD's defaults. */
  public static final class Builder {
    private int maxReplicas = 3;
    private List<String> locationLabels = List.of();
    private String isolationLevel = "";
    private boolean strictlyMatchLabel;
    private Duration maxStoreDownTime = Duration.ofMinutes(30);
    private long replicaScheduleLimit = 64;
    private long mergeScheduleLimit = 8;
    private boolean enableRemoveDownReplica = true;
    private boolean enableReplaceOfflineReplica = true;
    private boolean enableMakeUpReplica = true;
    private boolean enableRemoveExtraReplica = true;
    private boolean enableLocationReplacement = true;
    private boolean enablePlacementRules;
    private Duration splitMergeInterval = Duration.ofHours(1);
    private long maxMergeRegionSizeMiB = 54;
    private long maxMergeRegionKeys;
    private boolean enableOneWayMerge;
    private boolean enableCrossTableMerge = true;
    private long regionMaxSizeMiB = 144;
    private Duration patrolRegionInterval = Duration.ofMillis(10);
    private double lowSpaceRatio = 0.8;
    private long maxSnapshotCount = 64;
    private long maxPendingPeerCount = 64;
    private boolean haltScheduling;
    private int patrolRegionWorkerCount = 1;

    private Builder() {}

    public Builder maxReplicas(int v) { maxReplicas = v; return this; }
    public Builder locationLabels(List<String> v) { locationLabels = v; return this; }
    public Builder isolationLevel(String v) { isolationLevel = v; return this; }
    public Builder strictlyMatchLabel(boolean v) { strictlyMatchLabel = v; return this; }
    public Builder maxStoreDownTime(Duration v) { maxStoreDownTime = v; return this; }
    public Builder replicaScheduleLimit(long v) { replicaScheduleLimit = v; return this; }
    public Builder mergeScheduleLimit(long v) { mergeScheduleLimit = v; return this; }
    public Builder enableRemoveDownReplica(boolean v) { enableRemoveDownReplica = v; return this; }
    public Builder enableReplaceOfflineReplica(boolean v) {
      enableReplaceOfflineReplica = v;
      return this;
    }
    public Builder enableMakeUpReplica(boolean v) { enableMakeUpReplica = v; return this; }
    public Builder enableRemoveExtraReplica(boolean v) { enableRemoveExtraReplica = v; return this; }
    public Builder enableLocationReplacement(boolean v) {
      enableLocationReplacement = v;
      return this;
    }
    public Builder enablePlacementRules(boolean v) { enablePlacementRules = v; return this; }
    public Builder splitMergeInterval(Duration v) { splitMergeInterval = v; return this; }
    public Builder maxMergeRegionSizeMiB(long v) { maxMergeRegionSizeMiB = v; return this; }
    public Builder maxMergeRegionKeys(long v) { maxMergeRegionKeys = v; return this; }
    public Builder enableOneWayMerge(boolean v) { enableOneWayMerge = v; return this; }
    public Builder enableCrossTableMerge(boolean v) { enableCrossTableMerge = v; return this; }
    public Builder regionMaxSizeMiB(long v) { regionMaxSizeMiB = v; return this; }
    public Builder patrolRegionInterval(Duration v) { patrolRegionInterval = v; return this; }
    public Builder lowSpaceRatio(double v) { lowSpaceRatio = v; return this; }
    public Builder maxSnapshotCount(long v) { maxSnapshotCount = v; return this; }
    public Builder maxPendingPeerCount(long v) { maxPendingPeerCount = v; return this; }
    public Builder haltScheduling(boolean v) { haltScheduling = v; return this; }
    public Builder patrolRegionWorkerCount(int v) { patrolRegionWorkerCount = v; return this; }

    public CheckerConfig build() {
      return new CheckerConfig(maxReplicas, locationLabels, isolationLevel, strictlyMatchLabel,
          maxStoreDownTime, replicaScheduleLimit, mergeScheduleLimit, enableRemoveDownReplica,
          enableReplaceOfflineReplica, enableMakeUpReplica, enableRemoveExtraReplica,
          enableLocationReplacement, enablePlacementRules, splitMergeInterval,
          maxMergeRegionSizeMiB, maxMergeRegionKeys, enableOneWayMerge, enableCrossTableMerge,
          regionMaxSizeMiB, patrolRegionInterval, lowSpaceRatio, maxSnapshotCount,
          maxPendingPeerCount, haltScheduling, patrolRegionWorkerCount);
    }
  }
}
