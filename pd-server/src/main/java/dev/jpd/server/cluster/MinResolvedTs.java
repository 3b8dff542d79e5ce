package dev.jpd.server.cluster;

import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.PdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The min resolved ts each store reports, and the cluster's (the minimum over stores), persisted
 * as PD does ({@code /pd/{cid}/raft/min_resolved_ts}, hex) at most once per persistence
 * interval, and only when it moved forward.
 */
public final class MinResolvedTs {
  private final ConcurrentHashMap<Long, Long> byStore = new ConcurrentHashMap<>();
  private final MetaStore meta;
  private final PdKeys keys;
  private final Clock clock;
  private final long intervalMillis;
  private long persisted;
  private long lastPersistMillis = Long.MIN_VALUE;

  public MinResolvedTs(MetaStore meta, PdKeys keys, Clock clock, Duration interval) {
    this.meta = meta;
    this.keys = keys;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.persisted =
        meta.get(keys.minResolvedTs())
            .map(v -> Long.parseUnsignedLong(new String(v, StandardCharsets.UTF_8), 16))
            .orElse(0L);
  }

  public void report(long storeId, long minResolvedTs) {
    byStore.merge(storeId, minResolvedTs, Math::max);
    maybePersist();
  }

  /** The minimum over reporting stores; 0 when none reported. */
  public long clusterMin() {
    return byStore.values().stream().min(Long::compareUnsigned).orElse(0L);
  }

  public long persisted() {
    return persisted;
  }

  public Long ofStore(long storeId) {
    return byStore.get(storeId);
  }

  private synchronized void maybePersist() {
    long now = clock.millis();
    if (lastPersistMillis != Long.MIN_VALUE && now - lastPersistMillis < intervalMillis) {
      return;
    }
    long min = clusterMin();
    if (Long.compareUnsigned(min, persisted) > 0) {
      meta.put(keys.minResolvedTs(), Long.toHexString(min).getBytes(StandardCharsets.UTF_8));
      persisted = min;
      lastPersistMillis = now;
    }
  }
}
