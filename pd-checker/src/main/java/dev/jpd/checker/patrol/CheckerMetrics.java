package dev.jpd.checker.patrol;

import dev.jpd.checker.CheckerEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checkers' metrics under PD's names: {@code pd_checker_event_count{type, name}} (a counter:
 * Prometheus shows it as {@code pd_checker_event_count_total}) and {@code
 * pd_checker_patrol_regions_time} (seconds the last full patrol round took). Pass {@link
 * #events()} to the checker chain and this object to the patrol service.
 */
public final class CheckerMetrics implements CheckerEvents {
  private final MeterRegistry registry;
  /** type → name → counter: two look-ups and no string built per event. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> counters =
      new ConcurrentHashMap<>();
  private final AtomicLong roundMillis = new AtomicLong();
  /**
   * The last counters used, direct-mapped by the two names' hashes and matched by identity: the
   * chain passes the same string objects for every region (a few incs per checker per region),
   * so this skips both map look-ups. Entries are immutable (final fields), so a racy read sees a
   * whole entry; a miss or collision just takes the maps.
   */
  private final Recent[] recent = new Recent[RECENT_SLOTS];
  private static final int RECENT_SLOTS = 64;

  private record Recent(String type, String name, Counter counter) {}

  public CheckerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("pd_checker_patrol_regions_time", roundMillis, a -> a.get() / 1000.0)
        .description("Time spent on one full patrol round over all regions, in seconds")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The chain's event sink. */
  public CheckerEvents events() {
    return this;
  }

  @Override
  public void inc(String type, String name) {
    int slot = (type.hashCode() * 31 + name.hashCode()) & (RECENT_SLOTS - 1);
    Recent r = recent[slot];
    if (r != null && r.type == type && r.name == name) {
      r.counter.increment();
      return;
    }
    ConcurrentHashMap<String, Counter> byName = counters.get(type);
    if (byName == null) {
      byName = counters.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
    }
    Counter c = byName.get(name);
    if (c == null) {
      c = byName.computeIfAbsent(name, n -> Counter.builder("pd_checker_event_count")
          .description("Counter of checker events")
          .tag("type", type)
          .tag("name", n)
          .register(registry));
    }
    recent[slot] = new Recent(type, name, c);
    c.increment();
  }

  void patrolRound(long millis) {
    roundMillis.set(millis);
  }

  /** The last full round, milliseconds (0 before the first). */
  long lastRoundMillis() {
    return roundMillis.get();
  }
}
