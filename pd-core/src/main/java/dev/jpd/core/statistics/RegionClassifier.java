package dev.jpd.core.statistics;

import dev.jpd.core.placement.Rule;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Which {@link RegionStatisticType}s a region is in: a pure function of the region, what is known
 * about its stores and the config.
 *
 * <ul>
 *   <li>miss-peer / extra-peer: fewer / more peers (any role) than wanted: {@code max-replicas},
 *       or, while placement rules are on, the sum of the counts of the rules applied to the
 *       region's range (PD's {@code RegionStatistics.Observe}; a region crossing a rule boundary
 *       has no rules, so all its peers are extra until it is split, as in PD);
 *   <li>down-peer: the leader reports a down peer, <em>or</em> a peer sits on a store that is Down
 *       (silent for {@code max-store-down-time}). PD counts only the first; the second lets the
 *       gauge rise when a whole store dies before the leaders notice;
 *   <li>pending-peer: the leader reports a pending peer;
 *   <li>offline-peer: a peer sits on an Offline (Removing) store;
 *   <li>learner-peer: the region has a learner;
 *   <li>empty-region: approximate size ≤ 1 MiB;
 *   <li>oversized-region: size ≥ region-max-size or keys ≥ region-max-keys;
 *   <li>undersized-region: size ≤ max-merge-region-size and keys ≤ max-merge-region-keys (an
 *       empty region is undersized too, as in PD).
 * </ul>
 */
public final class RegionClassifier {
  private RegionClassifier() {}

  /**
   * @param stores the status of a store by id, or null when the store is unknown (such a peer
   *     counts as neither down nor offline)
   */
  public static Set<RegionStatisticType> classify(
      RegionInfo r, LongFunction<StoreStatus> stores, StatisticsConfig cfg) {
    return classify(r, stores, cfg, null);
  }

  /**
   * As {@link #classify(RegionInfo, LongFunction, StatisticsConfig)}, with placement rules.
   *
   * @param rules the rules applied to the region's range while placement rules are on (possibly
   *     empty), or null when they are off ({@code max-replicas} counts then)
   */
  public static Set<RegionStatisticType> classify(RegionInfo r, LongFunction<StoreStatus> stores,
      StatisticsConfig cfg, List<Rule> rules) {
    EnumSet<RegionStatisticType> types = EnumSet.noneOf(RegionStatisticType.class);
    int peers = r.peers().size();
    long wanted = rules == null ? cfg.maxReplicas() : wantedPeers(rules);
    if (peers < wanted) {
      types.add(RegionStatisticType.MISS_PEER);
    } else if (peers > wanted) {
      types.add(RegionStatisticType.EXTRA_PEER);
    }
    if (!r.downPeers().isEmpty()) {
      types.add(RegionStatisticType.DOWN_PEER);
    }
    if (!r.pendingPeers().isEmpty()) {
      types.add(RegionStatisticType.PENDING_PEER);
    }
    for (Metapb.Peer p : r.peers()) {
      StoreStatus s = stores.apply(p.getStoreId());
      if (s != null && s.down()) {
        types.add(RegionStatisticType.DOWN_PEER);
      }
      if (s != null && s.state() == Metapb.StoreState.Offline) {
        types.add(RegionStatisticType.OFFLINE_PEER);
      }
      if (p.getRole() == Metapb.PeerRole.Learner) {
        types.add(RegionStatisticType.LEARNER_PEER);
      }
    }
    long size = r.approximateSize();
    long keys = r.approximateKeys();
    if (size <= RegionInfo.EMPTY_REGION_APPROXIMATE_SIZE) {
      types.add(RegionStatisticType.EMPTY_REGION);
    }
    if (size >= cfg.regionMaxSize() || keys >= cfg.regionMaxKeys()) {
      types.add(RegionStatisticType.OVERSIZED_REGION);
    }
    if (size <= cfg.maxMergeRegionSize() && keys <= cfg.maxMergeRegionKeys()) {
      types.add(RegionStatisticType.UNDERSIZED_REGION);
    }
    return types;
  }

  /** The peers the rules ask for together, every role counted. */
  static long wantedPeers(List<Rule> rules) {
    long n = 0;
    for (Rule rule : rules) {
      n += rule.count();
    }
    return n;
  }
}
