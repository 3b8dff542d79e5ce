package dev.jpd.scheduler.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The operator metrics under PD's names and labels ({@code pkg/schedule/operator/metrics.go}).
 * Counters get Micrometer's {@code _total} suffix in Prometheus ({@code
 * pd_schedule_operators_count_total}); histograms keep PD's names and buckets.
 *
 * <ul>
 *   <li>{@code pd_schedule_operators_count{type=desc, event}}: PD's events — put, get, start,
 *       create, check, finish, timeout, cancel, replace, expire, remove, exceed-limit,
 *       exceed-max-waiting, not-found, epoch-not-match, already-have, unexpected-status,
 *       check-failed, promote-success, promote-timeout, promote-stale, disappear.
 *   <li>{@code pd_schedule_finish_operators_duration_seconds{type=desc}}: start to SUCCESS.
 *   <li>{@code pd_schedule_finish_operator_steps_duration_seconds{type=step}}: each finished
 *       step, from when the step before it finished.
 *   <li>{@code pd_schedule_operator_region_size{type=desc}}: region size (MiB) of started ones.
 *   <li>{@code pd_schedule_operator_limit{type=desc, name=kind}}: a counter, as in PD, of
 *       operators that met their kind's schedule limit (PD counts it in the schedulers with the
 *       scheduler's name as type; the controller counts it with the operator's description).
 *   <li>{@code pd_schedule_operator_exceeded_store_limit{desc}}: operators that met a store limit.
 *   <li>{@code pd_schedule_store_limit_cost{store, limit_type}}: store-limit cost taken, in steps.
 * </ul>
 */
final class OperatorMetrics {
  private static final Duration[] PD_BUCKETS = seconds(
      0.5, 1, 2, 4, 8, 16, 20, 40, 60, 90, 120, 180, 240, 300, 480, 600, 720, 900, 1200, 1800, 3600);

  private final MeterRegistry registry;

  OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void event(String desc, String event) {
    event(desc, event, 1);
  }

  void event(String desc, String event, double amount) {
    Counter.builder("pd_schedule_operators_count")
        .description("Counter of schedule operators.")
        .tags("type", desc, "event", event)
        .register(registry)
        .increment(amount);
  }

  void finished(String desc, long millis) {
    Timer.builder("pd_schedule_finish_operators_duration")
        .description("Bucketed histogram of processing time (s) of finished operator.")
        .tags("type", desc)
        .serviceLevelObjectives(PD_BUCKETS)
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, millis)));
  }

  void stepFinished(String stepType, long millis) {
    Timer.builder("pd_schedule_finish_operator_steps_duration")
        .description("Bucketed histogram of processing time (s) of finished operator step.")
        .tags("type", stepType)
        .serviceLevelObjectives(PD_BUCKETS)
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, millis)));
  }

  void regionSize(String desc, long sizeMiB) {
    DistributionSummary.builder("pd_schedule_operator_region_size")
        .description("Bucketed histogram of the operator region size.")
        .tags("type", desc)
        .serviceLevelObjectives(exponential(1, 2, 20))
        .register(registry)
        .record(sizeMiB);
  }

  void scheduleLimit(String desc, String kind) {
    Counter.builder("pd_schedule_operator_limit")
        .description("Counter of operator meeting limit")
        .tags("type", desc, "name", kind)
        .register(registry)
        .increment();
  }

  void exceededStoreLimit(String desc) {
    Counter.builder("pd_schedule_operator_exceeded_store_limit")
        .description("Counter of operator meeting store limit")
        .tags("desc", desc)
        .register(registry)
        .increment();
  }

  void storeLimitCost(long storeId, String limitType, double steps) {
    Counter.builder("pd_schedule_store_limit_cost")
        .description("limit rate cost of store.")
        .tags("store", Long.toString(storeId), "limit_type", limitType)
        .register(registry)
        .increment(steps);
  }

  private static Duration[] seconds(double... s) {
    Duration[] d = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = Duration.ofMillis(Math.round(s[i] * 1000));
    }
    return d;
  }

  private static double[] exponential(double start, double factor, int count) {
    double[] b = new double[count];
    double v = start;
    for (int i = 0; i < count; i++) {
      b[i] = v;
      v *= factor;
    }
    return b;
  }
}
