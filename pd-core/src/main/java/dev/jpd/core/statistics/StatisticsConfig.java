package dev.jpd.core.statistics;

/**
 * The configuration region classification reads, taken from the config in force each time.
 *
 * @param maxReplicas wanted peers per region ({@code [replication] max-replicas}); placement
 *     rules will replace this with the sum of the rules' counts
 * @param maxMergeRegionSize MiB; at or below it (and the keys limit) a region is undersized
 * @param maxMergeRegionKeys keys; see {@code maxMergeRegionSize}
 * @param regionMaxSize MiB; at or above it a region is oversized (TiKV's coprocessor
 *     {@code region-max-size}, 144 MiB by default)
 * @param regionMaxKeys keys; at or above it a region is oversized (1 440 000 by default)
 */
public record StatisticsConfig(
    long maxReplicas,
    long maxMergeRegionSize,
    long maxMergeRegionKeys,
    long regionMaxSize,
    long regionMaxKeys) {

  /** TiKV's default {@code region-max-size}, MiB (split size 96 MiB × 1.5). */
  public static final long DEFAULT_REGION_MAX_SIZE = 144;

  /** TiKV's default {@code region-max-keys} (split keys 960 000 × 1.5). */
  public static final long DEFAULT_REGION_MAX_KEYS = 1_440_000;

  /** PD's defaults: 3 replicas, merge below 54 MiB and 540 000 keys, TiKV's split limits. */
  public static StatisticsConfig defaults() {
    return new StatisticsConfig(3, 54, 540_000, DEFAULT_REGION_MAX_SIZE, DEFAULT_REGION_MAX_KEYS);
  }
}
