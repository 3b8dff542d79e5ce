package dev.jpd.checker;

import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.RegionFit.RuleFit;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a region needs nothing from the rule checker's fix steps, decided before any of them
 * runs (PD's rule checker returns early on a cached healthy fit; here health is re-read on every
 * check, since a store turns Down with the clock and no new snapshot).
 *
 * <p>A region is settled when all of these hold; then each fix step would return nothing:
 *
 * <ul>
 *   <li>the fit is satisfied: no orphan peer, every rule has its count of peers with the right
 *       role and keeps its isolation level (orphan, add, role fixes);
 *   <li>the region reports no down or pending peer, and every peer store is known, not Down and
 *       Up (orphans kept for unhealthy peers; down and offline replacements);
 *   <li>for each rule with location labels, when location replacement is on, every two of its
 *       peer stores differ at the outermost label: no store can be better isolated
 *       (move-to-better-location, the same test as {@link ReplicaStrategy#selectStoreToImprove}).
 * </ul>
 *
 * <p>A new fix step in the rule checker that can act on a region meeting all of these must add
 * its own condition here.
 */
final class SettledFit {
  private SettledFit() {}

  /**
   * @param cached the region's fit, from {@link RegionFitCache}
   * @param region the region being checked (its peers' stores, its down and pending peers): the
   *     snapshot {@code cached} was looked up for
   */
  static boolean settled(RegionFitCache.CachedFit cached, RegionInfo region,
      CheckerCluster cluster) {
    if (!cached.satisfied() || !region.downPeers().isEmpty()
        || !region.pendingPeers().isEmpty()) {
      return false;
    }
    if (!cached.apartAtTopLevel() && cluster.config().enableLocationReplacement()) {
      return false;
    }
    // a satisfied fit has no orphan: these are the stores of all the rules' peers
    for (int i = 0, n = region.peerCount(); i < n; i++) {
      StoreStatus st = cluster.storeStatus(region.peerStoreId(i));
      if (st == null || st.down() || st.state() != Metapb.StoreState.Up) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether, for every rule of the fit with location labels, every two of its peer stores differ
   * at the outermost label. Depends on the fit and the stores' labels only, so the fit cache
   * keeps it with the fit.
   */
  static boolean apartAtTopLevel(RegionFit fit, CheckerCluster cluster) {
    for (RuleFit rf : fit.ruleFits()) {
      if (!apartAtTopLevel(rf, cluster)) {
        return false;
      }
    }
    return true;
  }

  /** Every two peer stores of the rule differ at its first location label (or it has none). */
  private static boolean apartAtTopLevel(RuleFit rf, CheckerCluster cluster) {
    List<StoreInfo> stores = new ArrayList<>(rf.peers().size());
    for (FitPeer p : rf.peers()) {
      StoreInfo s = cluster.store(p.storeId());
      if (s == null) {
        return rf.rule().locationLabels().isEmpty() || rf.peers().size() < 2;
      }
      stores.add(s);
    }
    return LocationScores.apartAtTopLevel(stores, rf.rule().locationLabels());
  }
}
