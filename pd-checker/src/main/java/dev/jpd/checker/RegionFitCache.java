package dev.jpd.checker;

import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.region.ConcurrentLongMap;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Each region's last {@link RegionFit}, kept with exactly what it was computed from, so that a
 * patrol pass over unchanged regions does not fit them again (PD's {@code
 * RegionRuleFitCacheManager}, which PD keeps off by default; here the key is complete, so it is
 * always on).
 *
 * <p>Design: a fit is a pure function of the region's peers (id, store, learner or not), the
 * leader's peer id, the applied rules and each peer store's labels. An entry holds those inputs:
 * the peers as a flat {@code long[]} and the identity of the region's peer arrays ({@link
 * RegionInfo#peersIdentity}: the region cache keeps them across snapshots while the peers are
 * equal, so a hit compares one reference and reads neither array), the leader id, the rule list
 * by identity ({@code RuleList} hands one list object to every region of a key range and builds
 * new lists on any rule change, so identity is exact and free) and the stores' {@link
 * StoreReader#labelsVersion labels version} read before the labels were (one number for every
 * store's labels: a relabelled, added or removed store refits every region once, which is rare,
 * and a hit reads no store). Any input that differs is a miss: the region is fitted again and its
 * entry replaced. Store health (Down, Offline, disconnected) moves with the clock and is not an
 * input of the fit; it is never cached here, the rule checker reads it on each check.
 *
 * <p>Memory: the fit of a region that can be settled (satisfied, and its rules' peers apart at
 * the outermost location label: most regions, most of the time) is not kept, only the two facts;
 * {@link #fitOf} fits such a region again on the rare check that needs the fit itself (a peer
 * store turned Down or Offline). The fit of any other region is kept: every pass reads it. A
 * settled entry is its key and facts only: 189 bytes for three peers (213 while it kept a
 * label-list array per entry) instead of 477 with the fit's object graph (docs/performance.md).
 *
 * <p>Bound: entries of merged or deleted regions are never removed one by one; when the entries
 * pass twice the region count, all are dropped and the next pass refills the cache.
 *
 * <p>Threads: look-ups never lock; a miss stores under this object's lock, since the map wants
 * one writer at a time (the patrol loop and a dry run may check at once).
 */
final class RegionFitCache {
  /** Longs per peer in {@link CachedFit#peers}: peer id, store id, 1 for a learner else 0. */
  private static final int STRIDE = 3;

  /** Slots of {@link #labelMaps}: a power of two, more than the stores of most clusters. */
  private static final int LABEL_SLOTS = 1024;

  private final CheckerCluster cluster;
  private volatile ConcurrentLongMap<CachedFit> entries = new ConcurrentLongMap<>();
  /**
   * Each store's labels as the map the fit reads, direct-mapped by store id and valid while the
   * store keeps the same label list object (a store heartbeat keeps its meta): a refit, and the
   * down burst refits every region of the store, builds no label maps. Slots hold immutable
   * records, so racing threads at worst build a map twice.
   */
  private final LabelMap[] labelMaps = new LabelMap[LABEL_SLOTS];

  private record LabelMap(long storeId, List<Metapb.StoreLabel> source, Map<String, String> map) {}
  /**
   * Striped: patrol workers count at once, and one shared field would bounce between cores. Hits
   * are not counted: an atomic add per region (a full fence on x86) cost 4 % of a pass.
   */
  private final LongAdder misses = new LongAdder();

  RegionFitCache(CheckerCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * One region's fit (null when satisfied and apart: see {@link #fitOf}), what it was computed
   * from, and two facts derived from the same inputs that {@link SettledFit} asks of every
   * region: whether the fit is satisfied and whether every rule's peer stores are apart at the
   * rule's outermost location label; immutable.
   */
  record CachedFit(List<Rule> rules, long leaderId, Object peersIdentity, long[] peers,
      long labelsVersion, RegionFit fit, boolean satisfied, boolean apartAtTopLevel) {
    /** The same entry for a snapshot whose equal peers are held in other arrays. */
    CachedFit withPeersIdentity(Object identity) {
      return new CachedFit(rules, leaderId, identity, peers, labelsVersion, fit, satisfied,
          apartAtTopLevel);
    }
  }

  /**
   * The fit of the region's peers to {@code rules}, from the cache when nothing it depends on
   * changed. A hit builds no peer and, in the common case (the region cache kept the peer arrays
   * of the snapshot the fit was computed from), reads nothing but the entry's own fields.
   */
  CachedFit fit(RegionInfo region, List<Rule> rules) {
    long leaderId = region.leaderId();
    long labelsVersion = cluster.labelsVersion();
    CachedFit e = entries.get(region.id());
    if (e != null && e.rules == rules && e.leaderId == leaderId
        && e.labelsVersion == labelsVersion) {
      if (e.peersIdentity == region.peersIdentity()) {
        return e;
      }
      if (samePeers(e.peers, region)) {
        // equal peers in other arrays (a region loaded from storage, then reported): keep the
        // new arrays, so the next look-up is by identity; a caller that always passes rebuilt
        // snapshots would take the store lock on every hit here
        CachedFit same = e.withPeersIdentity(region.peersIdentity());
        store(region.id(), same);
        return same;
      }
    }
    misses.increment();
    CachedFit fresh = compute(region, leaderId, rules, labelsVersion);
    store(region.id(), fresh);
    return fresh;
  }

  /**
   * The fit of an entry {@link #fit} just returned for {@code region}: kept when unsatisfied,
   * fitted again (same inputs, so the same answer) when the entry kept only the facts.
   */
  RegionFit fitOf(CachedFit e, RegionInfo region) {
    return e.fit != null ? e.fit : fitNow(region, e.leaderId, e.rules, null);
  }

  /** Entries held now (for tests and the bound). */
  int size() {
    return entries.size();
  }

  /** Look-ups that fitted again so far, for tests. */
  long misses() {
    return misses.sum();
  }

  private CachedFit compute(RegionInfo region, long leaderId, List<Rule> rules,
      long labelsVersion) {
    long[] flat = new long[region.peerCount() * STRIDE];
    RegionFit fit = fitNow(region, leaderId, rules, flat);
    boolean satisfied = fit.satisfied();
    boolean apart = SettledFit.apartAtTopLevel(fit, cluster);
    // a region that can be settled needs its fit only once a peer store turns unhealthy; any
    // other is checked further on every pass, so its fit is kept
    return new CachedFit(rules, leaderId, region.peersIdentity(), flat, labelsVersion,
        satisfied && apart ? null : fit, satisfied, apart);
  }

  /** Fits the region's peers now; fills the key's peer array when given. */
  private RegionFit fitNow(RegionInfo region, long leaderId, List<Rule> rules, long[] flat) {
    int n = region.peerCount();
    List<FitPeer> fitPeers = new ArrayList<>(n);
    Map<Long, Map<String, String>> labels = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long id = region.peerId(i);
      long storeId = region.peerStoreId(i);
      boolean learner = region.peerIsLearner(i);
      if (flat != null) {
        flat[i * STRIDE] = id;
        flat[i * STRIDE + 1] = storeId;
        flat[i * STRIDE + 2] = learner ? 1 : 0;
      }
      fitPeers.add(new FitPeer(id, storeId, learner, id == leaderId));
      StoreInfo s = cluster.store(storeId);
      if (s != null) {
        labels.put(s.id(), labelMap(s));
      }
    }
    return RegionFit.fit(fitPeers, labels, rules);
  }

  /** The store's labels as a read-only map, built once per label list. */
  private Map<String, String> labelMap(StoreInfo s) {
    List<Metapb.StoreLabel> source = s.meta().getLabelsList();
    int slot = (int) (s.id() & (LABEL_SLOTS - 1));
    LabelMap m = labelMaps[slot];
    if (m == null || m.storeId != s.id() || m.source != source) {
      m = new LabelMap(s.id(), source, Collections.unmodifiableMap(StoreFilters.labelsOf(s)));
      labelMaps[slot] = m;
    }
    return m.map;
  }

  private synchronized void store(long regionId, CachedFit e) {
    ConcurrentLongMap<CachedFit> m = entries;
    if (m.size() > 2L * Math.max(cluster.regionCount(), 1)) {
      m = new ConcurrentLongMap<>();
      entries = m;
    }
    m.put(regionId, e);
  }

  private static boolean samePeers(long[] flat, RegionInfo region) {
    int n = region.peerCount();
    if (flat.length != n * STRIDE) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (flat[i * STRIDE] != region.peerId(i) || flat[i * STRIDE + 1] != region.peerStoreId(i)
          || flat[i * STRIDE + 2] != (region.peerIsLearner(i) ? 1 : 0)) {
        return false;
      }
    }
    return true;
  }
}
