/**
 * The patrol loop: {@link dev.jpd.checker.patrol.PatrolService} runs the checker chain over every
 * region, batch by batch, on an injected executor and clock, and hands what it builds to the
 * {@code Operators} seam. Its lists: urgent regions (beyond PD), the priority list (regions
 * missing replicas, linear back-off), the pending list (TTL 3 min) and suspect key ranges.
 *
 * <p><b>What the server calls.</b>
 *
 * <ul>
 *   <li>{@code new PatrolService(chain, cluster, operators, executor, isLeader, metrics)} with a
 *       {@link dev.jpd.checker.patrol.CheckerMetrics} on the Prometheus registry (pass {@code
 *       metrics.events()} to the chain too); {@code start()} on becoming leader, {@code stop()} on
 *       losing it or at shutdown (NEW → RUNNING ⇄ STOPPED).
 *   <li>{@code regionUnhealthy(regionId)} from the heartbeat path when a region reports a
 *       missing, down, pending, offline or learner peer or a joint state;
 *       {@code storeChanged(storeId)} from the store-state check when a store turns Down,
 *       Offline, Up again or Tombstone (all its regions, from the per-store index).
 *   <li>{@code addSuspectKeyRange(start, end)} when rules or labels change or for
 *       {@code /regions/accelerate-schedule}; {@code isPending} / {@code pendingRegionIds} for the
 *       API; {@code isPrepared} for {@code /cluster/status}-style views.
 * </ul>
 *
 * <p>Metrics: {@code pd_checker_patrol_regions_time} (gauge, seconds of the last full round) and
 * {@code pd_checker_event_count{type,name}} (counter; {@code _total} in Prometheus' text form),
 * {@code type} being "replica_checker", "merge_checker", ... or "patrol".
 */
package dev.jpd.checker.patrol;
