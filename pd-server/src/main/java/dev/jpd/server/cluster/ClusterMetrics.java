package dev.jpd.server.cluster;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.statistics.RegionStatistics;
import dev.jpd.core.statistics.RegionStatisticType;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreScores;
import dev.jpd.core.store.StoreStates;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.server.config.LiveConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's gauges with PD's names and labels, so PD's dashboards and alert rules work:
 *
 * <ul>
 *   <li>{@code pd_regions_status{type="miss-peer-region-count"}} and the other {@link
 *       RegionStatisticType}s: read live from the region statistics at each scrape;
 *   <li>{@code pd_cluster_status{type="store_up_count",engine="tikv"}} and the other store-state
 *       counts (an Up store goes into exactly one of down, unhealth, disconnected, slow and up:
 *       {@link StoreStates#upStoreCountType}), storage and region totals: computed by {@link
 *       #refresh} after each store check (every 10 s, like PD's metrics job);
 *   <li>{@code pd_scheduler_store_status{address,store,type}}: per store region/leader count and
 *       size, scores, and store_available/used/capacity (bytes): also by {@link #refresh}.
 * </ul>
 *
 * Micrometer keeps a gauge's name as given when it has no dots (and adds no suffix to gauges), so
 * the scrape shows exactly these names.
 */
public final class ClusterMetrics {
  static final List<String> CLUSTER_TYPES = List.of(
      "store_up_count", "store_disconnected_count", "store_slow_count", "store_down_count",
      "store_unhealth_count", "store_offline_count",
      "store_tombstone_count", "store_low_space_count", "store_preparing_count",
      "store_serving_count", "store_removing_count", "store_removed_count", "storage_size",
      "storage_capacity", "region_count", "leader_count", "learner_count");

  private final RaftCluster cluster;
  private final ClusterHealth health;
  private final LiveConfig config;
  private final MultiGauge clusterStatus;
  private final MultiGauge storeStatus;

  public ClusterMetrics(RaftCluster cluster, ClusterHealth health, LiveConfig config, MeterRegistry registry) {
    this.cluster = cluster;
    this.health = health;
    this.config = config;
    RegionStatistics stats = health.statistics();
    for (RegionStatisticType t : RegionStatisticType.values()) {
      Gauge.builder("pd_regions_status", stats, s -> s.count(t))
          .description("Status of the regions.")
          .tag("type", t.gaugeLabel())
          .register(registry);
    }
    clusterStatus = MultiGauge.builder("pd_cluster_status").description("Status of the cluster.").register(registry);
    storeStatus = MultiGauge.builder("pd_scheduler_store_status").description("Store status for schedule").register(registry);
    refresh();
  }

  /** Per-store totals from one pass over the region cache. */
  private static final class PerStore {
    long regionCount;
    long leaderCount;
    long regionSize;
    long leaderSize;
    long learnerCount;
  }

  /** Recomputes pd_cluster_status and pd_scheduler_store_status. */
  public synchronized void refresh() {
    Map<Long, PerStore> per = new HashMap<>();
    List<RegionInfo> regions = cluster.regions().all();
    for (RegionInfo r : regions) {
      for (Metapb.Peer p : r.peers()) {
        PerStore ps = per.computeIfAbsent(p.getStoreId(), k -> new PerStore());
        ps.regionCount++;
        ps.regionSize += r.approximateSize();
        if (p.getRole() == Metapb.PeerRole.Learner) {
          ps.learnerCount++;
        }
      }
      if (r.hasLeader()) {
        PerStore ps = per.computeIfAbsent(r.leaderStoreId(), k -> new PerStore());
        ps.leaderCount++;
        ps.leaderSize += r.approximateSize();
      }
    }
    Map<String, Double> totals = new LinkedHashMap<>();
    CLUSTER_TYPES.forEach(t -> totals.put(t, 0.0));
    List<MultiGauge.Row<?>> storeRows = new ArrayList<>();
    double lowSpaceRatio = config.current().schedule().lowSpaceRatio();
    for (StoreInfo s : cluster.stores().all()) {
      StoreStatus st = health.status(s);
      Metapb.Store m = s.meta();
      if (m.getState() == Metapb.StoreState.Tombstone) {
        inc(totals, "store_tombstone_count", 1);
        inc(totals, "store_removed_count", 1);
        continue;
      }
      if (m.getState() == Metapb.StoreState.Offline) {
        inc(totals, "store_offline_count", 1);
        inc(totals, "store_removing_count", 1);
      } else {
        inc(totals, m.getNodeState() == Metapb.NodeState.Preparing ? "store_preparing_count" : "store_serving_count", 1);
        inc(totals, StoreStates.upStoreCountType(s, st), 1);
      }
      // As PD: a down store is not also counted as low on space.
      if (!st.down() && StoreStates.lowSpace(s, lowSpaceRatio, regions.size())) {
        inc(totals, "store_low_space_count", 1);
      }
      PerStore ps = per.getOrDefault(s.id(), new PerStore());
      inc(totals, "storage_size", s.stats().getUsedSize());
      inc(totals, "storage_capacity", s.stats().getCapacity());
      inc(totals, "region_count", ps.regionCount);
      inc(totals, "leader_count", ps.leaderCount);
      inc(totals, "learner_count", ps.learnerCount);
      Tags tags = Tags.of("address", s.address(), "store", Long.toString(s.id()));
      storeRows.add(row(tags, "region_score", StoreScores.regionScore(s, ps.regionSize)));
      storeRows.add(row(tags, "leader_score", StoreScores.leaderScore(s, ps.leaderCount)));
      storeRows.add(row(tags, "region_size", ps.regionSize));
      storeRows.add(row(tags, "region_count", ps.regionCount));
      storeRows.add(row(tags, "leader_size", ps.leaderSize));
      storeRows.add(row(tags, "leader_count", ps.leaderCount));
      storeRows.add(row(tags, "store_available", s.stats().getAvailable()));
      storeRows.add(row(tags, "store_used", s.stats().getUsedSize()));
      storeRows.add(row(tags, "store_capacity", s.stats().getCapacity()));
    }
    List<MultiGauge.Row<?>> clusterRows = new ArrayList<>();
    totals.forEach((t, v) -> clusterRows.add(MultiGauge.Row.of(Tags.of("type", t, "engine", "tikv"), v)));
    clusterStatus.register(clusterRows, true);
    storeStatus.register(storeRows, true);
  }

  private static MultiGauge.Row<?> row(Tags tags, String type, double v) {
    return MultiGauge.Row.of(tags.and("type", type), v);
  }

  private static void inc(Map<String, Double> totals, String type, double by) {
    totals.merge(type, by, Double::sum);
  }
}
