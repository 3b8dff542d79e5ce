/**
 * Region health statistics: the {@link dev.jpd.core.statistics.RegionStatisticType}s PD counts,
 * the pure {@link dev.jpd.core.statistics.RegionClassifier} and the incrementally kept {@link
 * dev.jpd.core.statistics.RegionStatistics} behind {@code pd_regions_status} and {@code
 * /regions/check/{type}}.
 */
package dev.jpd.core.statistics;
