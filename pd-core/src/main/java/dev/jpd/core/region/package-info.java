/**
 * Regions: the immutable {@link dev.jpd.core.region.RegionInfo} snapshot, key order
 * ({@link dev.jpd.core.region.KeyOrder}), heartbeat shape checks
 * ({@link dev.jpd.core.region.HeartbeatValidation}), the pure heartbeat triage
 * ({@link dev.jpd.core.region.HeartbeatTriage}) and the region cache
 * ({@link dev.jpd.core.region.RegionsInfo}).
 *
 * <p>Choices, where PD leaves room:
 *
 * <ul>
 *   <li>The public API speaks {@code ByteString} keys (the protocol's own type); look-ups also take
 *       {@code byte[]}. Inside, {@link dev.jpd.core.region.RegionInfo} keeps a compact form (keys
 *       as {@code byte[]}, peers packed in a {@code long[]}, epoch and flows as {@code long}s) and
 *       builds protos on demand; the range index is keyed by {@code byte[]}. Order is unsigned
 *       lexicographic; an empty end key is +infinity.
 *   <li>Per-store indexes ({@code StoreRegionIndex}): leader, follower (voter but not leader),
 *       learner and pending sets of region ids, region counts and size sums, all exact when no
 *       heartbeat is in flight. Store id 0 is never indexed (regions without a leader are in no
 *       leader set).
 *   <li>Approximate size is in MiB as in PD: {@code bytes / 1 MiB} rounded down, but at least 1
 *       for a non-empty region; a reported 0 keeps the cached size (1 for a new region).
 *   <li>The previous region of a key is the cached region whose end key equals the start key of
 *       the region containing the key; none across a hole (PD's {@code GetPrevRegionByKey}).
 *   <li>Stale check: as PD, overlapping regions with a newer version are checked whenever the
 *       region is new to the cache or its key range changed, and the term is checked as well as
 *       version and conf_ver.
 * </ul>
 */
package dev.jpd.core.region;
