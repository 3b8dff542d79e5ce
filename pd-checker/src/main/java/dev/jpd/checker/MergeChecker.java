package dev.jpd.checker;

import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.MergePair;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Merges a small region into a neighbour (PD's {@code merge_checker.go}; seed 001's conditions).
 * Not while {@code split-merge-interval} has not passed since this checker started or since the
 * region (or its neighbour) split; not when the size is unknown (0), above {@code
 * max-merge-region-size} or its keys above {@code max-merge-region-keys}; not without a leader,
 * with down or pending peers, with learners or a replica count other than {@code max-replicas},
 * or hot. The next region is tried first, then the previous one (unless {@code
 * enable-one-way-merge}); the smaller wins. The target must be under max(4 × region-max-size,
 * 500 MiB), and the merged region must not split again into a piece that would merge again.
 * Builds the linked {@code merge-region} pair: the source first aligns its peers with the
 * target's stores when they differ.
 *
 * <p>Regions of different tables merge (PD's default {@code enable-cross-table-merge}).
 */
final class MergeChecker implements Checker {
  static final String NAME = "merge";
  private static final long MAX_TARGET_REGION_SIZE = 500;
  private static final long MAX_TARGET_REGION_FACTOR = 4;
  private static final int SPLIT_RECORD_PURGE_AT = 4096;

  private final CheckerCluster cluster;
  private final long startMillis;
  /** Recently split regions: region id → when the record expires. */
  private final Map<Long, Long> splitUntil = new ConcurrentHashMap<>();

  MergeChecker(CheckerCluster cluster) {
    this.cluster = cluster;
    this.startMillis = cluster.clock().millis();
  }

  @Override
  public String name() {
    return NAME;
  }

  void recordRegionSplit(long... regionIds) {
    long now = cluster.clock().millis();
    long until = now + cluster.config().splitMergeInterval().toMillis();
    for (long id : regionIds) {
      splitUntil.put(id, until);
    }
    if (splitUntil.size() > SPLIT_RECORD_PURGE_AT) {
      splitUntil.values().removeIf(u -> u <= now);
    }
  }

  private boolean recentlySplit(long regionId, long now) {
    if (splitUntil.isEmpty()) {
      return false;
    }
    Long until = splitUntil.get(regionId);
    return until != null && now < until;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    CheckerConfig cfg = cluster.config();
    long now = cluster.clock().millis();
    if (now < startMillis + cfg.splitMergeInterval().toMillis()) {
      return notReady(req, () -> "within split-merge-interval " + cfg.splitMergeInterval()
          + " of the start");
    }
    if (recentlySplit(region.id(), now)) {
      return notReady(req, () -> "split within split-merge-interval " + cfg.splitMergeInterval());
    }
    if (!region.hasLeader()) {
      return notReady(req, () -> "no leader reported yet");
    }
    if (region.approximateSize() == 0) {
      return notReady(req, () -> "approximate size not reported yet");
    }
    long maxKeys = cfg.effectiveMaxMergeRegionKeys();
    if (region.approximateSize() > cfg.maxMergeRegionSizeMiB()
        || region.approximateKeys() > maxKeys) {
      return List.of();
    }
    if (req.dryRun()) {
      req.saw("region is small: " + region.approximateSize() + " MiB, "
          + region.approximateKeys() + " keys (max-merge-region-size "
          + cfg.maxMergeRegionSizeMiB() + ", max-merge-region-keys " + maxKeys + ")");
    }
    String unfit = unfit(region, cfg, req);
    if (unfit != null) {
      return notReady(req, () -> unfit);
    }
    if (cluster.isHot(region)) {
      return notReady(req, () -> "region is hot");
    }
    RegionInfo next = cluster.nextRegion(region);
    RegionInfo prev = cluster.prevRegion(region);
    RegionInfo target = null;
    if (checkTarget(region, next, "next", now, cfg, req)) {
      target = next;
    }
    if (!cfg.enableOneWayMerge() && checkTarget(region, prev, "previous", now, cfg, req)) {
      if (target == null || prev.approximateSize() < next.approximateSize()) {
        target = prev;
      }
    }
    if (target == null) {
      return notReady(req, () -> "no neighbour to merge with");
    }
    return mergeInto(region, target, cfg, now, req);
  }

  private List<Operator> mergeInto(RegionInfo region, RegionInfo target, CheckerConfig cfg,
      long now, CheckRequest req) {
    long maxTarget = Math.max(MAX_TARGET_REGION_FACTOR * cfg.regionMaxSizeMiB(),
        MAX_TARGET_REGION_SIZE);
    if (target.approximateSize() > maxTarget) {
      return notReady(req, () -> "target region " + target.id() + " is too large: "
          + target.approximateSize() + " MiB > " + maxTarget + " MiB");
    }
    String again = mergedSplitsAgain(region, target, cfg);
    if (again != null) {
      return notReady(req, () -> again);
    }
    BuildResult<MergePair> r = OperatorCreator.createMergeRegionOperator("merge-region", cluster,
        region, target, OpKind.MERGE.bit(), now);
    if (!r.ok()) {
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
      return List.of();
    }
    return List.of(r.value().active(), r.value().passive());
  }

  /** Why the region may not take part in a merge (unhealthy, not fully replicated), or null. */
  private static String unfit(RegionInfo r, CheckerConfig cfg, CheckRequest req) {
    if (!r.downPeers().isEmpty() || !r.pendingPeers().isEmpty()) {
      return "region " + r.id() + " has down or pending peers";
    }
    int peers = req.peers(r).size();
    int learners = req.learnerCount(r);
    if (learners > 0 || peers != cfg.maxReplicas()) {
      return "region " + r.id() + " has " + peers + " peers (" + learners
          + " learners), max-replicas is " + cfg.maxReplicas();
    }
    return null;
  }

  private boolean checkTarget(RegionInfo region, RegionInfo adj, String which, long now,
      CheckerConfig cfg, CheckRequest req) {
    String why = null;
    if (adj == null) {
      why = "no " + which + " region";
    } else if (recentlySplit(adj.id(), now)) {
      why = which + " region " + adj.id() + " split recently";
    } else if (cluster.isHot(adj)) {
      why = which + " region " + adj.id() + " is hot";
    } else if (!adjacent(region, adj)) {
      why = which + " region " + adj.id() + " is not adjacent";
    } else if (cluster.mergeDenied(region, adj)) {
      why = which + " region " + adj.id() + ": merge denied by region labels";
    } else if (!peerStoresServing(region, adj)) {
      why = which + " region " + adj.id() + " has a peer on a removing store";
    } else {
      why = unfit(adj, cfg, CheckRequest.forPatrol());
    }
    if (why != null && req.dryRun()) {
      req.saw(why);
    }
    return why == null;
  }

  private static boolean adjacent(RegionInfo a, RegionInfo b) {
    return (!a.endKey().isEmpty() && a.endKey().equals(b.startKey()))
        || (!b.endKey().isEmpty() && b.endKey().equals(a.startKey()));
  }

  /**
   * The neighbour has no peer on a removing (Offline) or unknown store that the region lacks:
   * merging would bring a new peer onto a store being drained.
   */
  private boolean peerStoresServing(RegionInfo region, RegionInfo adj) {
    Set<Long> own = new HashSet<>();
    for (Metapb.Peer p : region.peers()) {
      own.add(p.getStoreId());
    }
    for (Metapb.Peer p : adj.peers()) {
      StoreInfo s = cluster.store(p.getStoreId());
      if ((s == null || s.meta().getState() != Metapb.StoreState.Up)
          && !own.contains(p.getStoreId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * TiKV's store config check: a merged region above region-max-size splits at region-split-size
   * (2/3 of the max, 96 of 144 MiB), and a remainder small enough to merge would merge again.
   */
  private static String mergedSplitsAgain(RegionInfo a, RegionInfo b, CheckerConfig cfg) {
    long size = a.approximateSize() + b.approximateSize();
    long maxSize = cfg.regionMaxSizeMiB();
    long splitSize = maxSize * 2 / 3;
    if (size >= maxSize && splitSize > 0) {
      long small = size % splitSize;
      if (small != 0 && small <= cfg.maxMergeRegionSizeMiB()) {
        return "merged size " + size + " MiB would split and merge again";
      }
    }
    long keys = a.approximateKeys() + b.approximateKeys();
    long maxKeys = cfg.regionMaxSizeMiB() * 10_000;
    long splitKeys = maxKeys * 2 / 3;
    if (keys >= maxKeys && splitKeys > 0) {
      long small = keys % splitKeys;
      if (small != 0 && small <= cfg.effectiveMaxMergeRegionKeys()) {
        return "merged keys " + keys + " would split and merge again";
      }
    }
    return null;
  }

  private static List<Operator> notReady(CheckRequest req, java.util.function.Supplier<String> why) {
    req.reason(Reason.NOT_READY, why);
    return List.of();
  }
}
