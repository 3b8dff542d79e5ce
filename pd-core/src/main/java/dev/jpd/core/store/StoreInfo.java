package dev.jpd.core.store;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.Objects;

/**
 * What the PD knows about one store: its metadata (from PutStore or storage), the statistics of its
 * last heartbeat and when that heartbeat arrived. Immutable, replaced whole; derived versions come
 * from {@link #withMeta} and {@link #withStats}. The store state machine (Up, Disconnected, Down,
 * Offline, Tombstone) lives elsewhere and reads {@link #lastHeartbeatMillis()}.
 */
public final class StoreInfo {
  private final Metapb.Store meta;
  private final Pdpb.StoreStats stats;
  private final long lastHeartbeatMillis;
  private final double leaderWeight;
  private final double regionWeight;

  private StoreInfo(
      Metapb.Store meta,
      Pdpb.StoreStats stats,
      long lastHeartbeatMillis,
      double leaderWeight,
      double regionWeight) {
    this.meta = Objects.requireNonNull(meta, "store meta");
    this.stats = Objects.requireNonNull(stats, "store stats");
    this.lastHeartbeatMillis = lastHeartbeatMillis;
    this.leaderWeight = leaderWeight;
    this.regionWeight = regionWeight;
  }

  /** A store with no heartbeat yet: default (empty) stats, last heartbeat 0, weights 1. */
  public static StoreInfo of(Metapb.Store meta) {
    return new StoreInfo(meta, Pdpb.StoreStats.getDefaultInstance(), 0, 1, 1);
  }

  /** The same store with new metadata (PutStore, state change); stats and heartbeat kept. */
  public StoreInfo withMeta(Metapb.Store newMeta) {
    return new StoreInfo(newMeta, stats, lastHeartbeatMillis, leaderWeight, regionWeight);
  }

  /** The same store after a heartbeat carrying {@code newStats}, received at {@code nowMillis}. */
  public StoreInfo withStats(Pdpb.StoreStats newStats, long nowMillis) {
    return new StoreInfo(meta, newStats, nowMillis, leaderWeight, regionWeight);
  }

  /** The same store with new scheduling weights ({@code POST /store/{id}/weight}). */
  public StoreInfo withWeights(double newLeaderWeight, double newRegionWeight) {
    return new StoreInfo(meta, stats, lastHeartbeatMillis, newLeaderWeight, newRegionWeight);
  }

  /** The leader weight: leader score is leader count (or size) divided by it; default 1. */
  public double leaderWeight() {
    return leaderWeight;
  }

  /** The region weight: region score is region size divided by it; default 1. */
  public double regionWeight() {
    return regionWeight;
  }

  /**
   * When the store was last heard of, epoch millis: its last heartbeat here, or the heartbeat
   * time stored in its metadata (set at PutStore and kept across restarts), whichever is later.
   */
  public long lastSeenMillis() {
    return Math.max(lastHeartbeatMillis, meta.getLastHeartbeat() / 1_000_000L);
  }

  public long id() {
    return meta.getId();
  }

  /** The address TiKV serves on (and PD rejects duplicates of). */
  public String address() {
    return meta.getAddress();
  }

  public Metapb.Store meta() {
    return meta;
  }

  /** The last reported statistics; the default instance before the first heartbeat. */
  public Pdpb.StoreStats stats() {
    return stats;
  }

  /** When the last heartbeat arrived, epoch millis; 0 before the first one. */
  public long lastHeartbeatMillis() {
    return lastHeartbeatMillis;
  }

  public boolean isTombstone() {
    return meta.getState() == Metapb.StoreState.Tombstone;
  }

  @Override
  public String toString() {
    return "store{id=" + id() + " address=" + address() + " state=" + meta.getState()
        + " last-heartbeat=" + lastHeartbeatMillis + "}";
  }
}
