package dev.jpd.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * PD's {@code [pd-server]} section. Most keys tune PD's Go runtime or features we do not have
 * (dashboard, GOGC tuner); they are accepted, checked as PD checks them and kept, so that a PD
 * config file loads and {@code /pd/api/v1/config} shows them.
 *
 * @param useRegionStorage {@code use-region-storage}: keep region metadata in the local region
 *     storage rather than in the MetaStore (default true)
 * @param maxGapResetTs {@code max-gap-reset-ts}: how far an admin may move the TSO forward (24h)
 * @param keyType {@code key-type}: {@code table} (default), {@code raw} or {@code txn}
 * @param runtimeServices {@code runtime-services}
 * @param metricStorage {@code metric-storage}: Prometheus address for metric queries, or empty
 * @param dashboardAddress {@code dashboard-address}: {@code auto}, {@code none} or a URL
 * @param flowRoundByDigit {@code flow-round-by-digit}: flow statistics rounding (default 3)
 * @param minResolvedTsPersistenceInterval {@code min-resolved-ts-persistence-interval} (1s)
 * @param serverMemoryLimit {@code server-memory-limit}: 0 to 0.99 of memory, 0 = no limit
 * @param serverMemoryLimitGcTrigger {@code server-memory-limit-gc-trigger}: 0.5 to 0.99 (0.7)
 * @param enableGogcTuner {@code enable-gogc-tuner} (true; Go runtime only)
 * @param gcTunerThreshold {@code gc-tuner-threshold}: 0 to 0.9 (0.6; Go runtime only)
 * @param blockSafePointV1 {@code block-safe-point-v1}: refuse GC safe point v1 updates
 */
public record PdServerConfig(
    boolean useRegionStorage,
    Duration maxGapResetTs,
    String keyType,
    List<String> runtimeServices,
    String metricStorage,
    String dashboardAddress,
    long flowRoundByDigit,
    Duration minResolvedTsPersistenceInterval,
    double serverMemoryLimit,
    double serverMemoryLimitGcTrigger,
    boolean enableGogcTuner,
    double gcTunerThreshold,
    boolean blockSafePointV1) {

  /** Copies the list. */
  public PdServerConfig {
    runtimeServices = List.copyOf(runtimeServices);
  }

  /** PD's defaults. */
  public static PdServerConfig defaults() {
    return read(ConfigReader.empty());
  }

  /** Reads {@code [pd-server]}, PD's default for every absent key, and validates it. */
  static PdServerConfig read(ConfigReader r) {
    if (r.has("trace-region-flow")) {
      throw new ConfigException("config key " + r.where("trace-region-flow")
          + " was replaced by " + r.path("flow-round-by-digit") + "; remove it");
    }
    PdServerConfig c = new PdServerConfig(
        r.bool("use-region-storage", true),
        r.positiveDuration("max-gap-reset-ts", Duration.ofHours(24)),
        r.choice("key-type", "table", "table", "raw", "txn"),
        r.stringList("runtime-services", List.of()),
        r.string("metric-storage", ""),
        r.string("dashboard-address", "auto"),
        r.uint("flow-round-by-digit", 3),
        r.nonNegativeDuration("min-resolved-ts-persistence-interval", Duration.ofSeconds(1)),
        r.number("server-memory-limit", 0),
        r.number("server-memory-limit-gc-trigger", 0.7),
        r.bool("enable-gogc-tuner", true),
        r.number("gc-tuner-threshold", 0.6),
        r.bool("block-safe-point-v1", false));
    between(r, "server-memory-limit", c.serverMemoryLimit, 0, 0.99);
    between(r, "server-memory-limit-gc-trigger", c.serverMemoryLimitGcTrigger, 0.5, 0.99);
    between(r, "gc-tuner-threshold", c.gcTunerThreshold, 0, 0.9);
    return c;
  }

  private static void between(ConfigReader r, String key, double value, double min, double max) {
    if (value < min || value > max) {
      throw r.invalid(key, value, "must be between " + min + " and " + max);
    }
  }

  /** This section as a map, in {@code shape}. */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    return new ConfigWriter(shape)
        .stringBool("use-region-storage", useRegionStorage)
        .duration("max-gap-reset-ts", maxGapResetTs)
        .put("key-type", keyType)
        .stringSlice("runtime-services", runtimeServices)
        .put("metric-storage", metricStorage)
        .put("dashboard-address", dashboardAddress)
        .put("flow-round-by-digit", flowRoundByDigit)
        .duration("min-resolved-ts-persistence-interval", minResolvedTsPersistenceInterval)
        .put("server-memory-limit", serverMemoryLimit)
        .put("server-memory-limit-gc-trigger", serverMemoryLimitGcTrigger)
        .stringBool("enable-gogc-tuner", enableGogcTuner)
        .put("gc-tuner-threshold", gcTunerThreshold)
        .stringBool("block-safe-point-v1", blockSafePointV1)
        .toMap();
  }
}
