package dev.jpd.server.cluster;

import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.statistics.RegionClassifier;
import dev.jpd.core.statistics.RegionStatisticType;
import dev.jpd.core.statistics.RegionStatistics;
import dev.jpd.core.statistics.StatisticsConfig;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.PdConfig;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the region statistics in step with the cluster: classifies a region whenever a heartbeat
 * changes it, forgets regions the cache dropped, and re-classifies a store's regions when that
 * store's state changes — stored (offline, up, tombstone) or derived from silence (Disconnected,
 * Down; noticed by {@link #refreshStoreStates}, which the store check runs every 10 s, and by the
 * next heartbeat of a store that comes back) — and every region when the config that
 * classification reads changes.
 *
 * <p>Re-classifying a store's regions scans the region cache (O(regions)): store state changes
 * are rare, and the cache has no per-store index yet. Statistics are eventually consistent: a
 * heartbeat racing a split may be classified a moment after the split removed it, until the next
 * heartbeat or store change of that region.
 *
 * <p>While {@code enable-placement-rules} is on and {@link #useRules} gave it the rules, a
 * region's wanted peer count is the sum of the counts of the rules applied to its range; a rule
 * write re-classifies the regions in the changed rule's range, and switching placement rules on or
 * off re-classifies every region.
 *
 * <p>Beyond the statistics, a {@link Watcher} (the checker patrol) hears of every region that
 * looks in need of repair when it is classified, and of every store whose state changed, so
 * repair does not wait for the patrol scan to come around.
 */
public final class ClusterHealth implements ClusterListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterHealth.class);

  private final RaftCluster cluster;
  private final LiveConfig config;
  private final Clock clock;
  private final RegionStatistics statistics = new RegionStatistics();
  /** The state name each store had when last looked at, to notice derived changes. */
  private final Map<Long, String> lastStateName = new ConcurrentHashMap<>();
  /** {@link #statisticsConfig} of the config in force; kept in step by the config listener. */
  private volatile StatisticsConfig lastConfig;
  /** Silence is counted from no earlier than this PD's start (see StoreStates.classify). */
  private final long startedMillis;
  private volatile Watcher watcher = Watcher.NONE;
  private volatile RuleManager rules;
  /** {@code enable-placement-rules} in force; kept in step by the config listener. */
  private volatile boolean placementRules;

  /** The conditions that queue a region for the checkers at once. */
  private static final EnumSet<RegionStatisticType> NEEDS_REPAIR = EnumSet.of(
      RegionStatisticType.MISS_PEER, RegionStatisticType.EXTRA_PEER,
      RegionStatisticType.DOWN_PEER, RegionStatisticType.PENDING_PEER,
      RegionStatisticType.OFFLINE_PEER, RegionStatisticType.LEARNER_PEER);

  /**
   * Hears what the checkers should look at now. Called on the heartbeat or store-check thread:
   * must be quick (queue and return).
   */
  public interface Watcher {
    Watcher NONE = new Watcher() {};

    /** The region was just classified missing, extra, down, pending, offline or learner peers. */
    default void regionNeedsRepair(long regionId) {}

    /** The store's state (stored or derived from silence) or labels changed. */
    default void storeStateChanged(long storeId) {}
  }

  public ClusterHealth(RaftCluster cluster, LiveConfig config, Clock clock) {
    this.cluster = cluster;
    this.config = config;
    this.clock = clock;
    this.lastConfig = statisticsConfig(config.current());
    this.placementRules = config.current().replication().enablePlacementRules();
    this.startedMillis = clock.millis();
  }

  /** Hooks into the cluster and the live config and classifies every cached region. */
  public ClusterHealth start() {
    cluster.setListener(this);
    config.addListener(this::configChanged);
    refreshStoreStates();
    reobserveAll();
    return this;
  }

  /**
   * Counts peers against the placement rules while they are on, and re-classifies the regions of
   * every range a rule write changes. Call before {@link #start}.
   */
  public ClusterHealth useRules(RuleManager manager) {
    this.rules = manager;
    manager.onRangesChanged(this::reobserveRange);
    return this;
  }

  /** Sets who hears of regions needing repair and store state changes (one watcher). */
  public void watch(Watcher w) {
    watcher = w;
  }

  public RegionStatistics statistics() {
    return statistics;
  }

  /** What classification reads from the config in force. */
  static StatisticsConfig statisticsConfig(PdConfig c) {
    return new StatisticsConfig(
        c.replication().maxReplicas(),
        c.schedule().maxMergeRegionSize(),
        c.schedule().maxMergeRegionKeys(),
        StatisticsConfig.DEFAULT_REGION_MAX_SIZE,
        StatisticsConfig.DEFAULT_REGION_MAX_KEYS);
  }

  /** The store's state now, or null when unknown. */
  public StoreStatus storeStatus(long storeId) {
    StoreInfo s = cluster.stores().get(storeId);
    return s == null ? null : status(s);
  }

  StoreStatus status(StoreInfo s) {
    return StoreStates.classify(
        s, clock.millis(), config.current().schedule().maxStoreDownTime(), startedMillis);
  }

  private void observe(RegionInfo r) {
    // Every heartbeat lands here: read the derived config the listener keeps, not rebuild it.
    RuleManager m = rules;
    List<Rule> applied = m == null || !placementRules ? null
        : m.rulesForRange(r.startKey().toByteArray(), r.endKey().toByteArray());
    Set<RegionStatisticType> types =
        RegionClassifier.classify(r, this::storeStatus, lastConfig, applied);
    statistics.observe(r.id(), types);
    if (!Collections.disjoint(types, NEEDS_REPAIR)) {
      watcher.regionNeedsRepair(r.id());
    }
  }

  @Override
  public void regionUpdated(RegionInfo region, List<RegionInfo> removed) {
    for (RegionInfo gone : removed) {
      statistics.remove(gone.id());
    }
    RegionInfo current = cluster.regions().getRegion(region.id());
    if (current == null) {
      statistics.remove(region.id());
    } else {
      observe(current);
    }
  }

  @Override
  public void storeChanged(long storeId) {
    StoreInfo s = cluster.stores().get(storeId);
    if (s != null) {
      lastStateName.put(storeId, status(s).stateName());
    } else {
      lastStateName.remove(storeId);
    }
    reobserveStore(storeId);
    watcher.storeStateChanged(storeId);
  }

  @Override
  public void storeHeartbeat(StoreInfo before, StoreInfo after) {
    String name = status(after).stateName();
    String was = lastStateName.put(after.id(), name);
    if (was != null && !was.equals(name)) {
      LOG.info("store state changed store-id={} address={} from={} to={}", after.id(),
          after.address(), was, name);
      reobserveStore(after.id());
      watcher.storeStateChanged(after.id());
    }
  }

  /**
   * Looks at every store's derived state (Disconnected, Down follow silence) and re-classifies the
   * regions of those that changed since the last look. Returns how many stores changed.
   */
  public int refreshStoreStates() {
    int changed = 0;
    for (StoreInfo s : cluster.stores().all()) {
      String name = status(s).stateName();
      String was = lastStateName.put(s.id(), name);
      if (was != null && !was.equals(name)) {
        changed++;
        if (name.equals("Down") || name.equals("Disconnected")) {
          LOG.warn("store state changed store-id={} address={} from={} to={}", s.id(), s.address(), was, name);
        } else {
          LOG.info("store state changed store-id={} address={} from={} to={}", s.id(), s.address(), was, name);
        }
        reobserveStore(s.id());
        watcher.storeStateChanged(s.id());
      }
    }
    return changed;
  }

  /** Re-classifies every region with a peer on the store. */
  public void reobserveStore(long storeId) {
    for (RegionInfo r : cluster.regions().storeRegions(storeId)) {
      observe(r);
    }
  }

  /** Re-classifies the regions overlapping [start, end) (a rule there changed). */
  public void reobserveRange(byte[] start, byte[] end) {
    for (RegionInfo r : cluster.regions().scanRegions(start, end, 0)) {
      observe(r);
    }
  }

  /** Re-classifies every cached region (start, config change). */
  public void reobserveAll() {
    for (RegionInfo r : cluster.regions().all()) {
      observe(r);
    }
  }

  private void configChanged(PdConfig next) {
    refreshStoreStates(); // max-store-down-time may have changed
    StatisticsConfig cfg = statisticsConfig(next);
    boolean rulesOn = next.replication().enablePlacementRules();
    if (!cfg.equals(lastConfig) || rulesOn != placementRules) {
      lastConfig = cfg;
      placementRules = rulesOn;
      LOG.info("region statistics config changed, reclassifying config={} placement-rules={}",
          cfg, rulesOn);
      reobserveAll();
    }
  }
}
