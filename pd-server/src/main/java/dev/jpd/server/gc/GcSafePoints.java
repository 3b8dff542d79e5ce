package dev.jpd.server.gc;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.PdKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The GC safe point and the per-service GC safe points, kept as PD keeps them.
 *
 * <ul>
 *   <li>The GC safe point ({@code /pd/{cid}/gc/safe_point}, a hex string) only advances: an
 *       update to a smaller value leaves it as it is and answers the current one.
 *   <li>A service safe point ({@code .../gc/safe_point/service/{id}}, JSON) lives until its TTL
 *       expires. An update below the current minimum of all services is refused (the minimum is
 *       answered unchanged); TTL ≤ 0 removes the service. {@code gc_worker} always exists (safe
 *       point 0 until TiDB's GC worker moves it) and never expires, so the minimum is never
 *       undefined.
 * </ul>
 *
 * Every change is written to the MetaStore before the call returns. One lock serializes the
 * read-modify-write of the service safe points; GC traffic is a handful of calls a minute.
 */
public final class GcSafePoints {
  public static final String GC_WORKER = "gc_worker";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MetaStore store;
  private final PdKeys keys;
  private final Clock clock;

  public GcSafePoints(MetaStore store, PdKeys keys, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.clock = clock;
  }

  /** A service's safe point: expires at {@code expiredAt} (unix seconds). */
  public record ServiceSafePoint(
      @JsonProperty("service_id") String serviceId,
      @JsonProperty("expired_at") long expiredAt,
      @JsonProperty("safe_point") long safePoint) {}

  /** The GC safe point; 0 before the first update. */
  public synchronized long gcSafePoint() {
    return store
        .get(keys.gcSafePoint())
        .map(v -> Long.parseUnsignedLong(new String(v, StandardCharsets.UTF_8), 16))
        .orElse(0L);
  }

  /** Advances the GC safe point to {@code safePoint} if larger; answers the resulting value. */
  public synchronized long updateGcSafePoint(long safePoint) {
    long old = gcSafePoint();
    if (Long.compareUnsigned(safePoint, old) <= 0) {
      return old;
    }
    store.put(
        keys.gcSafePoint(),
        Long.toHexString(safePoint).getBytes(StandardCharsets.UTF_8));
    return safePoint;
  }

  /**
   * Sets, refreshes or (ttl ≤ 0) removes a service's safe point, and answers the minimum across
   * the live services afterwards.
   *
   * @throws IllegalArgumentException for {@code gc_worker} with a finite TTL
   */
  public synchronized ServiceSafePoint updateServiceSafePoint(
      String serviceId, long ttlSeconds, long safePoint) {
    if (serviceId.isEmpty()) {
      throw new IllegalArgumentException("service id must not be empty");
    }
    if (GC_WORKER.equals(serviceId) && ttlSeconds != Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "TTL of gc_worker's service safe point must be infinity (" + Long.MAX_VALUE + ")");
    }
    long now = clock.millis() / 1000;
    if (ttlSeconds <= 0) {
      store.delete(keys.serviceSafePoint(serviceId));
    }
    ServiceSafePoint min = minServiceSafePoint(now);
    if (ttlSeconds <= 0 || Long.compareUnsigned(safePoint, min.safePoint()) < 0) {
      return min;
    }
    long expiredAt = Long.MAX_VALUE - now <= ttlSeconds ? Long.MAX_VALUE : now + ttlSeconds;
    save(new ServiceSafePoint(serviceId, expiredAt, safePoint));
    return serviceId.equals(min.serviceId()) ? minServiceSafePoint(now) : min;
  }

  /** The live service safe points (expired ones are removed on the way), by service id. */
  public synchronized List<ServiceSafePoint> serviceSafePoints() {
    long now = clock.millis() / 1000;
    minServiceSafePoint(now);
    return load();
  }

  /** Seconds until {@code p} expires, as PD answers the TTL. */
  public long ttlOf(ServiceSafePoint p) {
    long now = clock.millis() / 1000;
    return p.expiredAt() == Long.MAX_VALUE ? Long.MAX_VALUE - now : p.expiredAt() - now;
  }

  private ServiceSafePoint minServiceSafePoint(long now) {
    List<ServiceSafePoint> live = new ArrayList<>();
    boolean hasGcWorker = false;
    for (ServiceSafePoint p : load()) {
      if (p.expiredAt() <= now) {
        store.delete(keys.serviceSafePoint(p.serviceId()));
        continue;
      }
      hasGcWorker |= GC_WORKER.equals(p.serviceId());
      live.add(p);
    }
    if (!hasGcWorker) {
      ServiceSafePoint gcWorker = new ServiceSafePoint(GC_WORKER, Long.MAX_VALUE, 0);
      save(gcWorker);
      live.add(gcWorker);
    }
    return live.stream()
        .min(Comparator.comparing(ServiceSafePoint::safePoint, Long::compareUnsigned))
        .orElseThrow();
  }

  private List<ServiceSafePoint> load() {
    List<ServiceSafePoint> out = new ArrayList<>();
    for (KeyValue kv : store.scanPrefix(keys.serviceSafePointPrefix(), 0)) {
      try {
        out.add(JSON.readValue(kv.value(), ServiceSafePoint.class));
      } catch (IOException e) {
        throw new MetaStoreException("corrupt service safe point under " + kv.key(), e);
      }
    }
    return out;
  }

  private void save(ServiceSafePoint p) {
    try {
      store.put(keys.serviceSafePoint(p.serviceId()), JSON.writeValueAsBytes(p));
    } catch (IOException e) {
      throw new MetaStoreException("cannot encode service safe point " + p, e);
    }
  }
}
