package dev.jpd.core.region;

import java.util.List;

/**
 * What {@link RegionsInfo#handleHeartbeat} did with one report.
 *
 * @param decision the triage decision (stale reason, saveKv, saveCache, statsOnly, events)
 * @param region the region now cached (the report after size inheritance), or the rejected report
 *     when stale
 * @param origin the region cached under this id before, or null
 * @param overlaps cached regions the report replaced (split or merged away, or covered by a newer
 *     region); the caller deletes them from storage. Never contains {@code origin}.
 */
public record HeartbeatResult(
    HeartbeatTriage.Decision decision,
    RegionInfo region,
    RegionInfo origin,
    List<RegionInfo> overlaps) {
  public HeartbeatResult {
    overlaps = overlaps.isEmpty() ? List.of() : List.copyOf(overlaps);
  }

  /** The report was rejected and the cache left as it was. */
  public boolean stale() {
    return decision.stale();
  }
}
