package dev.jpd.core.statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Region health counts kept incrementally (PD's {@code RegionStatistics}): for each {@link
 * RegionStatisticType} the ids of the regions in it.
 *
 * <h2>Design note</h2>
 *
 * <p>The caller classifies (see {@link RegionClassifier}) and hands the result to {@link
 * #observe}; this class only keeps the sets consistent. {@code byRegion} holds each tracked
 * region's current types; {@code byType} the reverse index that counts and listings read.
 *
 * <p><b>Locking.</b> An update of one region runs inside {@code byRegion.compute} for that id, so
 * two updates of the same region are serialized and the reverse index never keeps a type the
 * region left; updates of different regions do not wait for each other. Readers never lock: a
 * count read while another region is being updated may be off by that one region.
 *
 * <p><b>Invariant</b> (between updates): region r is in {@code byType[t]} iff {@code t ∈
 * byRegion[r]}; a region in no type is not tracked at all.
 */
public final class RegionStatistics {
  private final ConcurrentHashMap<Long, Set<RegionStatisticType>> byRegion =
      new ConcurrentHashMap<>();
  private final Map<RegionStatisticType, Set<Long>> byType =
      new EnumMap<>(RegionStatisticType.class);

  public RegionStatistics() {
    for (RegionStatisticType t : RegionStatisticType.values()) {
      byType.put(t, ConcurrentHashMap.newKeySet());
    }
  }

  /** Records that the region is now in exactly {@code types} (empty: healthy, untracked). */
  public void observe(long regionId, Set<RegionStatisticType> types) {
    Set<RegionStatisticType> next =
        types.isEmpty() ? null : Collections.unmodifiableSet(EnumSet.copyOf(types));
    byRegion.compute(
        regionId,
        (id, old) -> {
          if (old != null) {
            for (RegionStatisticType t : old) {
              if (next == null || !next.contains(t)) {
                byType.get(t).remove(id);
              }
            }
          }
          if (next != null) {
            for (RegionStatisticType t : next) {
              byType.get(t).add(id);
            }
          }
          return next;
        });
  }

  /** Forgets a region (removed from the cache: merged, split away, overlapped). */
  public void remove(long regionId) {
    observe(regionId, Set.of());
  }

  /** How many regions are in the type. */
  public int count(RegionStatisticType type) {
    return byType.get(type).size();
  }

  /** The ids of the regions in the type, ascending. */
  public List<Long> regionIds(RegionStatisticType type) {
    List<Long> ids = new ArrayList<>(byType.get(type));
    Collections.sort(ids);
    return ids;
  }

  /** The types the region is in; empty when healthy or unknown. */
  public Set<RegionStatisticType> typesOf(long regionId) {
    Set<RegionStatisticType> t = byRegion.get(regionId);
    return t == null ? Set.of() : t;
  }

  /** Number of regions in at least one type. */
  public int trackedRegions() {
    return byRegion.size();
  }
}
