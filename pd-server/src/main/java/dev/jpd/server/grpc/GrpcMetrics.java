package dev.jpd.server.grpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC layer's meters, with PD's names and labels ({@code server/metrics.go}). Counters are
 * scraped with Micrometer's {@code _total} suffix (see {@code docs/metrics.md}).
 *
 * <p>Per-store meters are registered once per (store, address) and kept in a map, so a heartbeat
 * costs a map look-up and an increment, not a registry look-up by name and tags. A store whose
 * address changes gets new meters; the old series stay until restart, as PD's do.
 */
final class GrpcMetrics {
  /** PD's {@code ExponentialBuckets(0.0001, 2, 29)}: 0.1 ms to about 7.5 h. */
  private static final Duration[] HEARTBEAT_BUCKETS = exponential(100_000, 29);

  /** PD's {@code ExponentialBuckets(0.0005, 2, 13)}: 0.5 ms to about 2 s. */
  private static final Duration[] TSO_BUCKETS = exponential(500_000, 13);

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Long, StoreMeters> stores = new ConcurrentHashMap<>();
  final Timer tsoDuration;
  final DistributionSummary tsoBatchSize;

  GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.tsoDuration =
        Timer.builder("pd_server_handle_tso_duration")
            .description("Bucketed histogram of processing time (s) of handled tso requests.")
            .serviceLevelObjectives(TSO_BUCKETS)
            .register(registry);
    double[] batchBuckets = new double[13];
    for (int i = 0; i < batchBuckets.length; i++) {
      batchBuckets[i] = 1L << i;
    }
    this.tsoBatchSize =
        DistributionSummary.builder("pd_server_handle_tso_batch_size")
            .description("Bucketed histogram of the batch size of handled tso requests.")
            .serviceLevelObjectives(batchBuckets)
            .register(registry);
  }

  /** The meters of one store, registered on first use (and again if its address changed). */
  StoreMeters store(long storeId, String address) {
    StoreMeters m = stores.get(storeId);
    if (m == null || !m.address.equals(address)) {
      m = new StoreMeters(registry, storeId, address);
      stores.put(storeId, m);
    }
    return m;
  }

  /** Records the nanoseconds since {@code startNanos} on {@code timer}. */
  static void since(Timer timer, long startNanos) {
    timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private static Duration[] exponential(long startNanos, int count) {
    Duration[] out = new Duration[count];
    for (int i = 0; i < count; i++) {
      out[i] = Duration.ofNanos(startNanos << i);
    }
    return out;
  }

  /**
   * {@code pd_scheduler_region_heartbeat{address, store, type="report", status}} with PD's
   * statuses (recv, bind, ok, err), the two handle-duration histograms, and the store heartbeat
   * counter {@code pd_server_store_heartbeat{address, store, status}} (jpd's: PD's monolith has
   * none; the shape is that of PD's scheduling service).
   */
  static final class StoreMeters {
    final String address;
    final Counter regionRecv;
    final Counter regionBind;
    final Counter regionOk;
    final Counter regionErr;
    final Timer regionHandle;
    final Counter storeOk;
    final Counter storeErr;
    final Timer storeHandle;

    private StoreMeters(MeterRegistry registry, long storeId, String address) {
      this.address = address;
      String store = Long.toUnsignedString(storeId);
      regionRecv = regionCounter(registry, address, store, "recv");
      regionBind = regionCounter(registry, address, store, "bind");
      regionOk = regionCounter(registry, address, store, "ok");
      regionErr = regionCounter(registry, address, store, "err");
      regionHandle =
          Timer.builder("pd_scheduler_handle_region_heartbeat_duration")
              .description("Bucketed histogram of processing time (s) of handled region heartbeat requests.")
              .tag("address", address)
              .tag("store", store)
              .serviceLevelObjectives(HEARTBEAT_BUCKETS)
              .register(registry);
      storeOk = storeCounter(registry, address, store, "ok");
      storeErr = storeCounter(registry, address, store, "err");
      storeHandle =
          Timer.builder("pd_scheduler_handle_store_heartbeat_duration")
              .description("Bucketed histogram of processing time (s) of handled store heartbeat requests.")
              .tag("address", address)
              .tag("store", store)
              .serviceLevelObjectives(HEARTBEAT_BUCKETS)
              .register(registry);
    }

    private static Counter regionCounter(
        MeterRegistry registry, String address, String store, String status) {
      return Counter.builder("pd_scheduler_region_heartbeat")
          .description("Counter of region heartbeat.")
          .tag("address", address)
          .tag("store", store)
          .tag("type", "report")
          .tag("status", status)
          .register(registry);
    }

    private static Counter storeCounter(
        MeterRegistry registry, String address, String store, String status) {
      return Counter.builder("pd_server_store_heartbeat")
          .description("Counter of store heartbeat requests.")
          .tag("address", address)
          .tag("store", store)
          .tag("status", status)
          .register(registry);
    }
  }
}
