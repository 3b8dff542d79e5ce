package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.List;

/**
 * Keeps a region at {@code max-replicas} healthy, well-placed replicas while placement rules are
 * off (PD's {@code replica_checker.go}), in PD's order, each step behind its switch:
 *
 * <ol>
 *   <li>a down peer ({@code enable-remove-down-replica}): {@code remove-extra-down-replica} when
 *       voters exceed max-replicas, else {@code replace-down-replica} (high priority);
 *   <li>a peer on an Offline store ({@code enable-replace-offline-replica}; not while the region
 *       has learners): {@code remove-extra-offline-replica} / {@code replace-offline-replica}
 *       (high);
 *   <li>fewer peers than max-replicas ({@code enable-make-up-replica}): {@code make-up-replica}
 *       (high);
 *   <li>more voters than max-replicas ({@code enable-remove-extra-replica}): {@code
 *       remove-extra-replica};
 *   <li>a better-isolated store by {@code location-labels} ({@code enable-location-replacement}):
 *       {@code move-to-better-location}.
 * </ol>
 *
 * <p>A peer counts as down when its leader reports it down <em>and</em> its store has been silent
 * for {@code max-store-down-time} (PD), or when its store is Down whether or not the leader has
 * noticed yet (beyond PD: repair starts when the store is declared Down, not a leader's report
 * later). Without location labels every store is equally isolated, so the location step is
 * skipped outright rather than scanning every store to find no improvement (PD's outcome, cheaper).
 */
final class ReplicaChecker implements Checker {
  static final String NAME = "replica";
  private static final String DOWN = "down";
  private static final String OFFLINE = "offline";

  private final CheckerCluster cluster;
  private final StoreSearchMemo memo = new StoreSearchMemo();

  ReplicaChecker(CheckerCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    CheckerConfig cfg = cluster.config();
    List<Metapb.Peer> peers = req.peers(region);
    req.missingReplicas(cfg.maxReplicas() - peers.size());
    StoreStatus[] status = new StoreStatus[peers.size()];
    for (int i = 0; i < status.length; i++) {
      status[i] = cluster.storeStatus(peers.get(i).getStoreId());
    }
    Operator op = checkDownPeer(region, peers, status, cfg, req);
    if (op == null) {
      op = checkOfflinePeer(region, peers, status, cfg, req);
    }
    if (op == null) {
      op = checkMakeUpReplica(region, cfg, req);
    }
    if (op == null) {
      op = checkRemoveExtraReplica(region, cfg, req);
    }
    if (op == null) {
      op = checkLocationReplacement(region, cfg, req);
    }
    return op == null ? List.of() : List.of(op);
  }

  private Operator checkDownPeer(RegionInfo region, List<Metapb.Peer> peers,
      StoreStatus[] status, CheckerConfig cfg, CheckRequest req) {
    long downStore = 0;
    for (Pdpb.PeerStats stats : region.downPeers()) {
      long storeId = stats.getPeer().getStoreId();
      StoreStatus st = cluster.storeStatus(storeId);
      if (st == null) {
        req.saw("store " + storeId + " of down peer " + stats.getPeer().getId() + " is unknown");
        return null;
      }
      if (st.downMillis() >= cfg.maxStoreDownTime().toMillis()) {
        downStore = storeId;
        break;
      }
      if (req.dryRun()) {
        req.saw("peer " + stats.getPeer().getId() + " is reported down but store " + storeId
            + " was heard of " + st.downMillis() / 1000 + "s ago (max-store-down-time "
            + cfg.maxStoreDownTime() + ")");
      }
    }
    if (downStore == 0) {
      for (int i = 0; i < status.length; i++) {
        if (status[i] != null && status[i].down()) {
          downStore = peers.get(i).getStoreId();
          break;
        }
      }
    }
    if (downStore == 0) {
      return null;
    }
    if (req.dryRun()) {
      req.saw("peer on store " + downStore + " is down");
    }
    if (!cfg.enableRemoveDownReplica()) {
      req.saw("enable-remove-down-replica is off");
      return null;
    }
    return fixPeer(region, downStore, DOWN, cfg, req);
  }

  private Operator checkOfflinePeer(RegionInfo region, List<Metapb.Peer> peers,
      StoreStatus[] status, CheckerConfig cfg, CheckRequest req) {
    for (int i = 0; i < status.length; i++) {
      Metapb.Peer p = peers.get(i);
      if (status[i] == null) {
        req.saw("store " + p.getStoreId() + " of peer " + p.getId() + " is unknown");
        return null;
      }
      if (status[i].state() == Metapb.StoreState.Up) {
        continue;
      }
      if (req.dryRun()) {
        req.saw("peer " + p.getId() + " is on store " + p.getStoreId() + " which is "
            + status[i].state());
      }
      if (!cfg.enableReplaceOfflineReplica()) {
        req.saw("enable-replace-offline-replica is off");
        return null;
      }
      if (req.learnerCount(region) > 0) {
        req.saw("the region has learners: waiting for them before replacing offline peers");
        req.reason(Reason.NOT_READY, "region has learners");
        return null;
      }
      return fixPeer(region, p.getStoreId(), OFFLINE, cfg, req);
    }
    return null;
  }

  private Operator checkMakeUpReplica(RegionInfo region, CheckerConfig cfg, CheckRequest req) {
    int peers = req.peers(region).size();
    if (peers >= cfg.maxReplicas()) {
      return null;
    }
    if (req.dryRun()) {
      req.saw("region has " + peers + " peers, max-replicas is " + cfg.maxReplicas());
    }
    if (!cfg.enableMakeUpReplica()) {
      req.saw("enable-make-up-replica is off");
      return null;
    }
    ReplicaStrategy strategy = new ReplicaStrategy(cluster, region, req, memo);
    ReplicaStrategy.Choice target = strategy.selectStoreToAdd(strategy.regionStores(), List.of());
    if (target.storeId() == 0) {
      return ReplicaStrategy.noTarget(target, "", req);
    }
    Metapb.Peer peer = Metapb.Peer.newBuilder().setStoreId(target.storeId()).build();
    return build(OperatorBuilder.of("make-up-replica", cluster, region, req.peers(region))
        .addPeer(peer).priority(Priority.HIGH), req);
  }

  private Operator checkRemoveExtraReplica(RegionInfo region, CheckerConfig cfg,
      CheckRequest req) {
    // a learner being added makes the region exceed max-replicas for a while: count voters only
    int voters = req.voterCount(region);
    if (voters <= cfg.maxReplicas()) {
      return null;
    }
    if (req.dryRun()) {
      req.saw("region has " + voters + " voters, max-replicas is " + cfg.maxReplicas());
    }
    if (!cfg.enableRemoveExtraReplica()) {
      req.saw("enable-remove-extra-replica is off");
      return null;
    }
    ReplicaStrategy strategy = new ReplicaStrategy(cluster, region, req, memo);
    long old = strategy.selectStoreToRemove(strategy.regionStores());
    if (old == 0) {
      req.reason(Reason.NO_SOURCE_STORE, "no peer's store may give up a replica now");
      req.markRetryLater();
      return null;
    }
    return build(OperatorBuilder.of("remove-extra-replica", cluster, region).removePeer(old), req);
  }

  private Operator checkLocationReplacement(RegionInfo region, CheckerConfig cfg,
      CheckRequest req) {
    if (!cfg.enableLocationReplacement() || cfg.locationLabels().isEmpty()) {
      return null;
    }
    ReplicaStrategy strategy = new ReplicaStrategy(cluster, region, req, memo);
    List<StoreInfo> stores = strategy.regionStores();
    if (LocationScores.apartAtTopLevel(stores, cfg.locationLabels())) {
      return null; // every peer already in its own outermost location: nothing can be better
    }
    long old = strategy.selectStoreToRemove(stores);
    if (old == 0) {
      return null;
    }
    ReplicaStrategy.Choice target = strategy.selectStoreToImprove(stores, old);
    if (target.storeId() == 0) {
      // not an error: the placement is as good as it gets
      req.reason(Reason.NOTHING_TO_DO, () -> "no better-isolated store than " + old);
      return null;
    }
    if (req.dryRun()) {
      req.saw("store " + target.storeId() + " is better isolated than store " + old);
    }
    Metapb.Peer peer = Metapb.Peer.newBuilder().setStoreId(target.storeId()).build();
    return build(OperatorBuilder.of("move-to-better-location", cluster, region, req.peers(region))
        .removePeer(old).addPeer(peer), req);
  }

  private Operator fixPeer(RegionInfo region, long storeId, String status, CheckerConfig cfg,
      CheckRequest req) {
    if (req.voterCount(region) > cfg.maxReplicas()) {
      return build(OperatorBuilder.of("remove-extra-" + status + "-replica", cluster, region)
          .removePeer(storeId).priority(Priority.HIGH), req);
    }
    ReplicaStrategy strategy = new ReplicaStrategy(cluster, region, req, memo);
    ReplicaStrategy.Choice target = strategy.selectStoreToFix(strategy.regionStores(), storeId);
    if (target.storeId() == 0) {
      return ReplicaStrategy.noTarget(target, "", req);
    }
    Metapb.Peer peer = Metapb.Peer.newBuilder().setStoreId(target.storeId()).build();
    return build(OperatorBuilder.of("replace-" + status + "-replica", cluster, region,
        req.peers(region)).removePeer(storeId).addPeer(peer).priority(Priority.HIGH), req);
  }


  private Operator build(OperatorBuilder b, CheckRequest req) {
    return ReplicaStrategy.build(b, cluster, req);
  }
}
