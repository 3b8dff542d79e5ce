package dev.jpd.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PD's {@code [schedule]} section: limits and switches for checkers, schedulers and the operator
 * controller. Every component is the camel-case form of PD's key ({@code maxStoreDownTime} is
 * {@code max-store-down-time}); sizes are in MiB, as PD's region sizes are; store limits are
 * operations per minute. Defaults are PD's (see {@link #read}); all keys are accepted and
 * written back, although only a few are acted on so far.
 *
 * <p>PD's deprecated spellings are still read, with a warning: {@code disable-remove-down-replica}
 * and its four siblings (inverted into the {@code enable-} key), {@code store-balance-rate} (into
 * {@link #defaultStoreLimit} when that is not written) and {@code disable-raft-learner}
 * (ignored, as in PD). They are never written back.
 */
public record ScheduleConfig(
    long maxSnapshotCount,
    long maxPendingPeerCount,
    long maxMergeRegionSize,
    long maxMergeRegionKeys,
    Duration splitMergeInterval,
    Duration switchWitnessInterval,
    boolean enableOneWayMerge,
    boolean enableCrossTableMerge,
    Duration patrolRegionInterval,
    int patrolRegionWorkerCount,
    Duration maxStoreDownTime,
    Duration maxStorePreparingTime,
    long leaderScheduleLimit,
    String leaderSchedulePolicy,
    long regionScheduleLimit,
    long witnessScheduleLimit,
    long replicaScheduleLimit,
    long mergeScheduleLimit,
    long hotRegionScheduleLimit,
    long affinityScheduleLimit,
    long splitScatterScheduleLimit,
    long hotRegionCacheHitsThreshold,
    StoreLimit defaultStoreLimit,
    Map<Long, StoreLimit> storeLimit,
    String storeLimitVersion,
    double tolerantSizeRatio,
    double lowSpaceRatio,
    double highSpaceRatio,
    String regionScoreFormulaVersion,
    long schedulerMaxWaitingOperator,
    boolean enableRemoveDownReplica,
    boolean enableReplaceOfflineReplica,
    boolean enableMakeUpReplica,
    boolean enableRemoveExtraReplica,
    boolean enableLocationReplacement,
    boolean enableDebugMetrics,
    boolean enableJointConsensus,
    boolean enableTikvSplitRegion,
    boolean enableHeartbeatBreakdownMetrics,
    boolean enableHeartbeatConcurrentRunner,
    boolean enableDiagnostic,
    boolean enableWitness,
    boolean haltScheduling,
    List<SchedulerConfig> schedulers,
    Duration hotRegionsWriteInterval,
    long hotRegionsReservedDays,
    long maxMovableHotPeerSize,
    double slowStoreEvictingAffectedStoreRatioThreshold,
    long maxAffinityMergeRegionSize) {

  /** PD derives {@code max-merge-region-keys} from the size when it is not set: size × 10 000. */
  static final long REGION_SIZE_TO_KEYS_RATIO = 10_000;

  /** PD's default scheduler list (classic kernel). */
  static final List<SchedulerConfig> DEFAULT_SCHEDULERS = List.of(
      SchedulerConfig.of("balance-region"),
      SchedulerConfig.of("balance-leader"),
      SchedulerConfig.of("hot-region"),
      SchedulerConfig.of("evict-slow-store"),
      SchedulerConfig.of("evict-stopping-store"));

  /** Scheduler types PD registers, as written in {@code [[schedule.schedulers]] type = ...}. */
  static final Set<String> SCHEDULER_TYPES = Set.of(
      "balance-leader", "balance-region", "hot-region", "evict-leader", "grant-leader",
      "evict-slow-store", "evict-slow-trend", "evict-stopping-store", "shuffle-leader",
      "shuffle-region", "shuffle-hot-region", "scatter-range", "balance-range", "label",
      "random-merge", "grant-hot-region", "transfer-witness-leader", "balance-witness");

  private static final int MAX_PATROL_REGION_WORKERS = 8;

  /**
   * Store limit rates, in operations per minute.
   *
   * @param addPeer {@code add-peer}: peers added to the store per minute
   * @param removePeer {@code remove-peer}: peers removed from the store per minute
   */
  public record StoreLimit(double addPeer, double removePeer) {}

  /**
   * One {@code [[schedule.schedulers]]} entry.
   *
   * @param type scheduler type, e.g. {@code balance-leader}, {@code evict-leader}
   * @param args arguments, e.g. store ids for {@code evict-leader}
   * @param disable true to keep the entry but not run the scheduler
   * @param argsPayload {@code args-payload}: opaque extra arguments
   */
  public record SchedulerConfig(String type, List<String> args, boolean disable, String argsPayload) {

    /** Copies the list. */
    public SchedulerConfig {
      args = List.copyOf(args);
    }

    static SchedulerConfig of(String type) {
      return new SchedulerConfig(type, List.of(), false, "");
    }
  }

  /** Copies the collections, so that the record stays immutable. */
  public ScheduleConfig {
    storeLimit = Collections.unmodifiableMap(new TreeMap<>(storeLimit));
    schedulers = List.copyOf(schedulers);
  }

  /** PD's defaults. */
  public static ScheduleConfig defaults() {
    return read(ConfigReader.empty());
  }

  /** Reads {@code [schedule]}, PD's default for every absent key, and validates it. */
  static ScheduleConfig read(ConfigReader r) {
    long maxMergeRegionSize = r.uint("max-merge-region-size", 54);
    long maxMergeRegionKeys = r.uint("max-merge-region-keys", 0);
    if (maxMergeRegionKeys == 0) {
      maxMergeRegionKeys = maxMergeRegionSize * REGION_SIZE_TO_KEYS_RATIO;
    }
    r.ignoredBool("disable-raft-learner");
    StoreLimit defaultStoreLimit = readDefaultStoreLimit(r);
    long patrolWorkers = r.integer("patrol-region-worker-count", 1);
    if (patrolWorkers < 1 || patrolWorkers > MAX_PATROL_REGION_WORKERS) {
      throw r.invalid("patrol-region-worker-count", patrolWorkers,
          "must be between 1 and " + MAX_PATROL_REGION_WORKERS);
    }
    ScheduleConfig c = new ScheduleConfig(
        r.uint("max-snapshot-count", 64),
        r.uint("max-pending-peer-count", 64),
        maxMergeRegionSize,
        maxMergeRegionKeys,
        r.positiveDuration("split-merge-interval", Duration.ofHours(1)),
        r.positiveDuration("switch-witness-interval", Duration.ofHours(1)),
        r.bool("enable-one-way-merge", false),
        r.bool("enable-cross-table-merge", true),
        r.positiveDuration("patrol-region-interval", Duration.ofMillis(10)),
        (int) patrolWorkers,
        r.positiveDuration("max-store-down-time", Duration.ofMinutes(30)),
        r.nonNegativeDuration("max-store-preparing-time", Duration.ofHours(48)),
        r.uint("leader-schedule-limit", 4),
        r.choice("leader-schedule-policy", "count", "count", "size"),
        r.uint("region-schedule-limit", 2048),
        r.uint("witness-schedule-limit", 4),
        r.uint("replica-schedule-limit", 64),
        r.uint("merge-schedule-limit", 8),
        r.uint("hot-region-schedule-limit", 4),
        r.uint("affinity-schedule-limit", 0),
        r.uint("split-scatter-schedule-limit", 4),
        r.uint("hot-region-cache-hits-threshold", 3),
        defaultStoreLimit,
        readStoreLimits(r, defaultStoreLimit),
        r.choice("store-limit-version", "v1", "v1", "v2"),
        r.number("tolerant-size-ratio", 0),
        r.number("low-space-ratio", 0.8),
        r.number("high-space-ratio", 0.7),
        r.choice("region-score-formula-version", "v2", "v1", "v2"),
        r.uint("scheduler-max-waiting-operator", 5),
        enableSwitch(r, "remove-down-replica"),
        enableSwitch(r, "replace-offline-replica"),
        enableSwitch(r, "make-up-replica"),
        enableSwitch(r, "remove-extra-replica"),
        enableSwitch(r, "location-replacement"),
        r.bool("enable-debug-metrics", false),
        r.bool("enable-joint-consensus", true),
        r.bool("enable-tikv-split-region", true),
        r.bool("enable-heartbeat-breakdown-metrics", true),
        r.bool("enable-heartbeat-concurrent-runner", true),
        r.bool("enable-diagnostic", true),
        r.bool("enable-witness", false),
        r.bool("halt-scheduling", false),
        readSchedulers(r),
        r.positiveDuration("hot-regions-write-interval", Duration.ofMinutes(10)),
        r.uint("hot-regions-reserved-days", 7),
        r.uint("max-movable-hot-peer-size", 512),
        r.number("slow-store-evicting-affected-store-ratio-threshold", 0.3),
        r.uint("max-affinity-merge-region-size", 256));
    c.validate(r);
    return c;
  }

  private static StoreLimit readDefaultStoreLimit(ConfigReader r) {
    // store-balance-rate is PD's old name for both rates; an explicit default-store-limit wins.
    double oldRate = r.number("store-balance-rate", 0);
    if (r.has("store-balance-rate")) {
      r.warn("config key " + r.where("store-balance-rate") + " is deprecated; use "
          + r.path("default-store-limit") + " add-peer and remove-peer");
    }
    double fallback = oldRate > 0 ? oldRate : 15;
    ConfigReader t = r.section("default-store-limit");
    StoreLimit limit =
        new StoreLimit(t.number("add-peer", fallback), t.number("remove-peer", fallback));
    checkRate(t, "add-peer", limit.addPeer());
    checkRate(t, "remove-peer", limit.removePeer());
    return limit;
  }

  private static Map<Long, StoreLimit> readStoreLimits(ConfigReader r, StoreLimit defaults) {
    Map<Long, StoreLimit> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigReader> e : r.sectionMap("store-limit").entrySet()) {
      long storeId;
      try {
        storeId = Long.parseLong(e.getKey());
      } catch (NumberFormatException ex) {
        storeId = 0;
      }
      if (storeId <= 0) {
        throw new ConfigException("invalid store id \"" + e.getKey() + "\" in "
            + r.where("store-limit." + e.getKey()) + ": store-limit entries are keyed by store id, e.g. "
            + "[schedule.store-limit.4]");
      }
      ConfigReader t = e.getValue();
      StoreLimit limit = new StoreLimit(
          t.number("add-peer", defaults.addPeer()), t.number("remove-peer", defaults.removePeer()));
      checkRate(t, "add-peer", limit.addPeer());
      checkRate(t, "remove-peer", limit.removePeer());
      out.put(storeId, limit);
    }
    return out;
  }

  private static void checkRate(ConfigReader t, String key, double rate) {
    if (rate < 0) {
      throw t.invalid(key, rate, "a store limit is a number of operations per minute, ≥ 0");
    }
  }

  /** {@code enable-<name>}, or the negation of PD's deprecated {@code disable-<name>}. */
  private static boolean enableSwitch(ConfigReader r, String name) {
    boolean hasOld = r.has("disable-" + name);
    boolean hasNew = r.has("enable-" + name);
    boolean enabled = r.bool("enable-" + name, true);
    boolean disabled = r.bool("disable-" + name, false);
    if (hasOld) {
      r.warn("config key " + r.where("disable-" + name) + " is deprecated; use "
          + r.path("enable-" + name));
    }
    if (hasOld && hasNew && enabled == disabled) {
      throw new ConfigException("config keys " + r.path("enable-" + name) + " and "
          + r.path("disable-" + name) + " (deprecated) contradict each other; keep only "
          + r.path("enable-" + name));
    }
    return hasNew || !hasOld ? enabled : !disabled;
  }

  private static List<SchedulerConfig> readSchedulers(ConfigReader r) {
    List<ConfigReader> entries = r.sectionList("schedulers");
    if (entries == null || entries.isEmpty()) {
      return DEFAULT_SCHEDULERS;
    }
    List<SchedulerConfig> out = new ArrayList<>();
    for (ConfigReader e : entries) {
      String type = e.string("type", "");
      if (!SCHEDULER_TYPES.contains(type)) {
        throw e.invalid("type", type, "unknown scheduler type; known: "
            + String.join(", ", new TreeSet<>(SCHEDULER_TYPES)));
      }
      out.add(new SchedulerConfig(type, e.stringList("args", List.of()),
          e.bool("disable", false), e.string("args-payload", "")));
    }
    return out;
  }

  private void validate(ConfigReader r) {
    if (tolerantSizeRatio < 0) {
      throw r.invalid("tolerant-size-ratio", tolerantSizeRatio, "must be ≥ 0 (0 means automatic)");
    }
    ratio(r, "low-space-ratio", lowSpaceRatio);
    ratio(r, "high-space-ratio", highSpaceRatio);
    if (lowSpaceRatio <= highSpaceRatio) {
      throw new ConfigException(r.path("low-space-ratio") + " (" + lowSpaceRatio
          + ") must be larger than " + r.path("high-space-ratio") + " (" + highSpaceRatio + ")");
    }
    if (slowStoreEvictingAffectedStoreRatioThreshold <= 0) {
      throw r.invalid("slow-store-evicting-affected-store-ratio-threshold",
          slowStoreEvictingAffectedStoreRatioThreshold, "must be > 0");
    }
  }

  private static void ratio(ConfigReader r, String key, double value) {
    if (value < 0 || value > 1) {
      throw r.invalid(key, value, "must be between 0 and 1");
    }
  }

  /** This section as a map, in {@code shape}. */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    Map<String, Object> limits = new LinkedHashMap<>();
    storeLimit.forEach((id, l) -> limits.put(Long.toString(id), storeLimitMap(l)));
    List<Map<String, Object>> schedulerMaps = new ArrayList<>();
    for (SchedulerConfig s : schedulers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", s.type());
      m.put("args", s.args());
      m.put("disable", s.disable());
      m.put("args-payload", s.argsPayload());
      schedulerMaps.add(Collections.unmodifiableMap(m));
    }
    return new ConfigWriter(shape)
        .put("max-snapshot-count", maxSnapshotCount)
        .put("max-pending-peer-count", maxPendingPeerCount)
        .put("max-merge-region-size", maxMergeRegionSize)
        .put("max-merge-region-keys", maxMergeRegionKeys)
        .duration("split-merge-interval", splitMergeInterval)
        .duration("switch-witness-interval", switchWitnessInterval)
        .stringBool("enable-one-way-merge", enableOneWayMerge)
        .stringBool("enable-cross-table-merge", enableCrossTableMerge)
        .duration("patrol-region-interval", patrolRegionInterval)
        .put("patrol-region-worker-count", patrolRegionWorkerCount)
        .duration("max-store-down-time", maxStoreDownTime)
        .duration("max-store-preparing-time", maxStorePreparingTime)
        .put("leader-schedule-limit", leaderScheduleLimit)
        .put("leader-schedule-policy", leaderSchedulePolicy)
        .put("region-schedule-limit", regionScheduleLimit)
        .put("witness-schedule-limit", witnessScheduleLimit)
        .put("replica-schedule-limit", replicaScheduleLimit)
        .put("merge-schedule-limit", mergeScheduleLimit)
        .put("hot-region-schedule-limit", hotRegionScheduleLimit)
        .put("affinity-schedule-limit", affinityScheduleLimit)
        .put("split-scatter-schedule-limit", splitScatterScheduleLimit)
        .put("hot-region-cache-hits-threshold", hotRegionCacheHitsThreshold)
        .put("default-store-limit", storeLimitMap(defaultStoreLimit))
        .put("store-limit", Collections.unmodifiableMap(limits))
        .put("store-limit-version", storeLimitVersion)
        .put("tolerant-size-ratio", tolerantSizeRatio)
        .put("low-space-ratio", lowSpaceRatio)
        .put("high-space-ratio", highSpaceRatio)
        .put("region-score-formula-version", regionScoreFormulaVersion)
        .put("scheduler-max-waiting-operator", schedulerMaxWaitingOperator)
        .stringBool("enable-remove-down-replica", enableRemoveDownReplica)
        .stringBool("enable-replace-offline-replica", enableReplaceOfflineReplica)
        .stringBool("enable-make-up-replica", enableMakeUpReplica)
        .stringBool("enable-remove-extra-replica", enableRemoveExtraReplica)
        .stringBool("enable-location-replacement", enableLocationReplacement)
        .stringBool("enable-debug-metrics", enableDebugMetrics)
        .stringBool("enable-joint-consensus", enableJointConsensus)
        .stringBool("enable-tikv-split-region", enableTikvSplitRegion)
        .stringBool("enable-heartbeat-breakdown-metrics", enableHeartbeatBreakdownMetrics)
        .stringBool("enable-heartbeat-concurrent-runner", enableHeartbeatConcurrentRunner)
        .stringBool("enable-diagnostic", enableDiagnostic)
        .stringBool("enable-witness", enableWitness)
        .stringBool("halt-scheduling", haltScheduling)
        .put("schedulers", "schedulers-v2", Collections.unmodifiableList(schedulerMaps))
        .duration("hot-regions-write-interval", hotRegionsWriteInterval)
        .put("hot-regions-reserved-days", hotRegionsReservedDays)
        .put("max-movable-hot-peer-size", maxMovableHotPeerSize)
        .put("slow-store-evicting-affected-store-ratio-threshold",
            slowStoreEvictingAffectedStoreRatioThreshold)
        .put("max-affinity-merge-region-size", maxAffinityMergeRegionSize)
        .toMap();
  }

  private static Map<String, Object> storeLimitMap(StoreLimit l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("add-peer", l.addPeer());
    m.put("remove-peer", l.removePeer());
    return Collections.unmodifiableMap(m);
  }
}
