/**
 * The checkers: one checker per class, run in PD's order by {@link dev.jpd.checker.CheckerChain}
 * (the order lives in {@link dev.jpd.checker.CheckerChain#standard} and nowhere else):
 *
 * <pre>
 *   joint-state ─▶ [schedule=deny ends here] ─▶ split ─▶ rule (placement rules on, when installed)
 *                                                    └▶ learner ─▶ replica (otherwise)
 *                                              ─▶ merge
 * </pre>
 *
 * <p><b>What the server wires.</b>
 *
 * <ul>
 *   <li>{@link dev.jpd.checker.CheckerConfig}: the {@code [schedule]}/{@code [replication]} keys
 *       the checkers read, filled from the server's config (a supplier, read on every check).
 *   <li>{@link dev.jpd.checker.CacheCheckerCluster}: the {@link dev.jpd.checker.CheckerCluster}
 *       view over {@code RegionsInfo} and {@code StoresInfo}, with the id allocator, the
 *       joint-consensus switch, the clock, when the PD started watching stores, and {@link
 *       dev.jpd.checker.ClusterSeams} (region labels {@code schedule=deny} / {@code
 *       merge_option=deny} / label split keys, hot regions, the controller's store limits; all
 *       default to "none").
 *   <li>{@link dev.jpd.checker.CheckerChain#standard}: the chain, given the view, the {@code
 *       Operators} seam and a {@link dev.jpd.checker.CheckerEvents} sink (the patrol package's
 *       Micrometer one). Then: {@code pause(name, delay)} / {@code isPaused} / {@code paused()}
 *       for {@code /pd/api/v1/checker/{name}}; {@code diagnose(region)} for {@code
 *       /regions/{id}/diagnose}; {@code recordRegionSplit(ids...)} after AskBatchSplit or a
 *       finished split so that the merge checker waits {@code split-merge-interval}.
 * </ul>
 *
 * <p><b>Dry run.</b> A {@link dev.jpd.checker.CheckRequest} from {@code forDryRun()} collects a
 * {@link dev.jpd.checker.CheckerReport} per checker that ran: what it saw, the operators it would
 * build, or the {@link dev.jpd.checker.Reason} (paused, schedule-deny, schedule-limit,
 * store-limit, no-target-store with every filtered store and why, not-ready, create failed...).
 * Checkers never change anything (only the patrol loop adds operators), so a dry run is the same
 * code path without side effects; a patrol request ({@code forPatrol()}) builds no strings.
 *
 * <p><b>Choices that differ from PD, on purpose.</b>
 *
 * <ul>
 *   <li>The replica checker also treats a peer on a Down store (silent for {@code
 *       max-store-down-time}) as down before its leader reports it, as the region statistics do.
 *   <li>Without {@code location-labels} the location step ({@code move-to-better-location}) is
 *       skipped: every store is equally isolated, so PD's scan could only find nothing.
 *   <li>Equal candidates go to the lower store id (PD picks at random): tests are deterministic.
 *   <li>While {@code enable-placement-rules} is on but no rule checker is installed (it comes with
 *       the placement-rule issue), the learner and replica checkers run, so the cluster heals.
 *   <li>{@code enable-cross-table-merge} is always on; TiKV's region-split-size is taken as 2/3 of
 *       {@code region-max-size} (96 of 144 MiB) for the "would split again" check.
 *   <li>A learner that is still pending is not promoted yet (TiKV would refuse it).
 * </ul>
 *
 * Store filters and the replica strategy are package-private here, not a package of their own,
 * so that nothing but the checkers depends on them.
 */
package dev.jpd.checker;
