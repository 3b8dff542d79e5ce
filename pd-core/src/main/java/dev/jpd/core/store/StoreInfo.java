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

  private StoreInfo(Metapb.Store meta, Pdpb.StoreStats stats, long lastHeartbeatMillis) {
    this.meta = Objects.requireNonNull(meta, "store meta");
    this.stats = Objects.requireNonNull(stats, "store stats");
    this.lastHeartbeatMillis = lastHeartbeatMillis;
  }

  /** A store with no heartbeat yet: default (empty) stats, last heartbeat 0. */
  public static StoreInfo of(Metapb.Store meta) {
    return new StoreInfo(meta, Pdpb.StoreStats.getDefaultInstance(), 0);
  }

  /** The same store with new metadata (PutStore, state change); stats and heartbeat kept. */
  public StoreInfo withMeta(Metapb.Store newMeta) {
    return new StoreInfo(newMeta, stats, lastHeartbeatMillis);
  }

  /** The same store after a heartbeat carrying {@code newStats}, received at {@code nowMillis}. */
  public StoreInfo withStats(Pdpb.StoreStats newStats, long nowMillis) {
    return new StoreInfo(meta, newStats, nowMillis);
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
