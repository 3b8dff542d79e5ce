package dev.jpd.core.store;

import dev.jpd.proto.Metapb;
import java.time.Duration;

/**
 * The store state machine as PD has it, as pure functions of a store, the time and the config
 * ({@code pkg/core/store.go}, {@code server/cluster/cluster.go}).
 *
 * <pre>
 *   PutStore ──▶ Up/Preparing ──(checkStores: ready)──▶ Up/Serving
 *                    │                                    │
 *                    └──── DELETE /store/{id} ────────────┤
 *                                                         ▼
 *   Up/Serving ◀── POST /store/{id}/state?state=Up ── Offline/Removing
 *                                                         │ (checkStores: no region left)
 *                                                         ▼
 *                                                  Tombstone/Removed ──(remove-tombstone)──▶ gone
 * </pre>
 *
 * Disconnected (silent &gt; 20 s) and Down (silent &gt; {@code max-store-down-time}) are derived
 * from the last heartbeat, never stored: a store that heartbeats again is Up at once.
 */
public final class StoreStates {
  /** PD's {@code storeDisconnectDuration}. */
  public static final Duration DISCONNECT_AFTER = Duration.ofSeconds(20);

  /** PD's {@code storeUnhealthDuration}: silent this long, a store counts as unhealthy. */
  public static final Duration UNHEALTHY_AFTER = Duration.ofMinutes(10);

  /** PD's {@code slowStoreThreshold}: a reported slow_score at or above it makes a store slow. */
  public static final long SLOW_SCORE_THRESHOLD = 80;

  /**
   * PD's {@code storePersistInterval}: a store's metadata, with its last heartbeat time, is saved
   * from heartbeats at most this often, so that a restarted PD knows when stores were last seen.
   */
  public static final Duration PERSIST_INTERVAL = Duration.ofMinutes(5);

  /** PD's {@code InitClusterRegionThreshold}: below it, new stores serve at once. */
  public static final int INIT_CLUSTER_REGION_THRESHOLD = 100;

  private StoreStates() {}

  /** The store's state at {@code nowMillis}. */
  public static StoreStatus classify(StoreInfo s, long nowMillis, Duration maxStoreDownTime) {
    return classify(s, nowMillis, maxStoreDownTime, 0);
  }

  /**
   * The store's state at {@code nowMillis}, counting silence from no earlier than {@code
   * watchingSinceMillis}: a PD that just started (or a store never heard of, last heartbeat 0)
   * gives stores a full grace period instead of calling them Down at once.
   */
  public static StoreStatus classify(
      StoreInfo s, long nowMillis, Duration maxStoreDownTime, long watchingSinceMillis) {
    Metapb.Store m = s.meta();
    long silent = Math.max(0, nowMillis - Math.max(s.lastSeenMillis(), watchingSinceMillis));
    boolean live = m.getState() != Metapb.StoreState.Tombstone;
    boolean down = live && silent > maxStoreDownTime.toMillis();
    boolean disconnected = live && silent > DISCONNECT_AFTER.toMillis();
    String name =
        switch (m.getState()) {
          case Up -> down ? "Down" : disconnected ? "Disconnected" : "Up";
          case Offline -> "Offline";
          case Tombstone -> "Tombstone";
          default -> m.getState().name();
        };
    return new StoreStatus(m.getState(), m.getNodeState(), name, disconnected, down, silent);
  }

  /**
   * The {@code pd_cluster_status} count an Up (Preparing or Serving) store goes into, PD's
   * {@code storeStatusStatistics.observe}: the first of down ({@code max-store-down-time} of
   * silence), unhealth (over {@link #UNHEALTHY_AFTER}), disconnected (over {@link
   * #DISCONNECT_AFTER}), slow (slow_score at least {@link #SLOW_SCORE_THRESHOLD}), up. PD's slow
   * also covers stores its slow-trend scheduler evicted, which we do not run.
   */
  public static String upStoreCountType(StoreInfo s, StoreStatus st) {
    if (st.down()) {
      return "store_down_count";
    }
    if (st.downMillis() > UNHEALTHY_AFTER.toMillis()) {
      return "store_unhealth_count";
    }
    if (st.disconnected()) {
      return "store_disconnected_count";
    }
    if (Long.compareUnsigned(s.stats().getSlowScore(), SLOW_SCORE_THRESHOLD) >= 0) {
      return "store_slow_count";
    }
    return "store_up_count";
  }

  /**
   * PD's {@code NeedPersist}: whether a heartbeat at {@code heartbeatMillis} should save the
   * store's metadata, given when it was last saved from a heartbeat (0: not since this PD
   * started, so the first heartbeat saves).
   */
  public static boolean needsPersist(long heartbeatMillis, long lastPersistMillis) {
    return heartbeatMillis - lastPersistMillis > PERSIST_INTERVAL.toMillis();
  }

  /**
   * Whether a Preparing store may start serving (PD's {@code checkStores}): the cluster is small
   * (fewer than 100 regions), or the store has been up for {@code max-store-preparing-time}, or
   * it already holds {@code servingThresholdMiB} of regions.
   */
  public static boolean readyToServe(
      StoreInfo s,
      Duration maxPreparingTime,
      int clusterRegionCount,
      long storeRegionSizeMiB,
      long servingThresholdMiB) {
    Metapb.Store m = s.meta();
    if (m.getState() != Metapb.StoreState.Up || m.getNodeState() != Metapb.NodeState.Preparing) {
      return false;
    }
    return clusterRegionCount < INIT_CLUSTER_REGION_THRESHOLD
        || uptimeMillis(s) >= maxPreparingTime.toMillis()
        || storeRegionSizeMiB >= servingThresholdMiB;
  }

  /**
   * The region size a new store must hold before it serves: 90 % of its even share of all
   * replicas ({@code totalRegionSizeMiB × maxReplicas / liveStores}). PD weighs the share by
   * location topology; an even share is what that gives without location labels.
   */
  public static long servingThresholdMiB(long totalRegionSizeMiB, long maxReplicas, int liveStores) {
    if (liveStores <= 0) {
      return 0;
    }
    return (long) (0.9 * totalRegionSizeMiB * maxReplicas / liveStores);
  }

  /** Time from the store's start (its heartbeat's start_time) to its last heartbeat; 0 before. */
  public static long uptimeMillis(StoreInfo s) {
    long start = Integer.toUnsignedLong(s.stats().getStartTime()) * 1000L;
    if (start <= 0 || s.lastHeartbeatMillis() <= 0) {
      return 0;
    }
    return Math.max(0, s.lastHeartbeatMillis() - start);
  }

  /**
   * Whether the stored state may change from {@code from} to {@code to}; null when it may,
   * otherwise the reason. Staying in the same state is allowed (and does nothing).
   */
  public static String transitionError(long storeId, Metapb.StoreState from, Metapb.StoreState to) {
    if (from == to) {
      return null;
    }
    return switch (from) {
      case Up -> to == Metapb.StoreState.Offline
          ? null
          : "store " + storeId + " is Up: it must be Offline before it can become " + to;
      case Offline -> null;
      case Tombstone -> "store " + storeId + " is Tombstone and can never change state again";
      default -> "store " + storeId + " is in unknown state " + from;
    };
  }

  /**
   * Low space (PD's {@code IsLowSpace}): less than {@code 1 - lowSpaceRatio} of the capacity is
   * available, unless the cluster is small and more than 8 GiB remain. A store without a
   * heartbeat (capacity 0) is not low on space.
   */
  public static boolean lowSpace(StoreInfo s, double lowSpaceRatio, int clusterRegionCount) {
    long capacity = s.stats().getCapacity();
    long available = s.stats().getAvailable();
    if (capacity == 0) {
      return false;
    }
    if (clusterRegionCount < INIT_CLUSTER_REGION_THRESHOLD && available > (8L << 30)) {
      return false;
    }
    return (double) available / capacity < 1 - lowSpaceRatio;
  }
}
