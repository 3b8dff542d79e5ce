package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.placement.PeerRole;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.RegionFit.RuleFit;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a region's peers where its placement rules want them (PD's {@code rule_checker.go}
 * {@code CheckWithFit}), for the common cases, in PD's order:
 *
 * <ol>
 *   <li>no leader, or no rule for the whole range (the split checker cuts first): nothing;
 *   <li>orphan peers, when every rule is satisfied and no peer is down or pending: {@code
 *       remove-orphan-peer};
 *   <li>for each rule fit: too few peers → {@code add-rule-peer} (high); a peer on a Down store
 *       → {@code replace-rule-down-peer} / {@code replace-rule-down-leader-peer}; a peer on an
 *       Offline store → {@code replace-rule-offline-peer} / {@code
 *       replace-rule-offline-leader-peer}; a peer with the wrong role → {@code fix-peer-role}
 *       (promote a learner), {@code fix-leader-role} (transfer the leader), {@code
 *       fix-demote-voter}; a store with a better isolation score → {@code
 *       move-to-better-location}.
 * </ol>
 *
 * <p>Store choice reuses {@link ReplicaStrategy} over the rule's own location labels and
 * isolation level, with the rule's label constraints as an extra filter.
 */
public final class RuleChecker implements Checker {
  static final String NAME = "rule";

  private final CheckerCluster cluster;
  private final RuleManager rules;
  private final RegionFitCache fits;

  RuleChecker(CheckerCluster cluster, RuleManager rules) {
    this.cluster = cluster;
    this.rules = rules;
    this.fits = new RegionFitCache(cluster);
  }

  /** The checker for a chain: {@link CheckerChain#standard}'s rule-checker seam. */
  public static Checker of(CheckerCluster cluster, RuleManager rules) {
    return new RuleChecker(cluster, rules);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    if (region.leader().getId() == 0) {
      req.reason(Reason.NOT_READY, "region has no leader");
      return List.of();
    }
    List<Rule> applied = rules.rulesForRange(region.startKey().toByteArray(),
        region.endKey().toByteArray());
    if (applied.isEmpty()) {
      req.reason(Reason.NOTHING_TO_DO, "no rule covers the whole region: split first");
      return List.of();
    }
    List<Metapb.Peer> peers = req.peers(region);
    RegionFitCache.CachedFit cached = fits.fit(region, peers, applied);
    if (SettledFit.settled(cached, region, cluster)) {
      req.reason(Reason.NOTHING_TO_DO, "every rule is satisfied, every peer store is Up and"
          + " healthy, and no store would be better isolated");
      return List.of(); // and no replica is missing
    }
    RegionFit fit = cached.fit();
    int missing = 0;
    for (RuleFit rf : fit.ruleFits()) {
      if (rf.rule().peerRole() != PeerRole.LEARNER) {
        missing += rf.rule().count() - rf.peers().size();
      }
    }
    req.missingReplicas(missing);
    Set<Long> unhealthy = unhealthyStores(region, peers);
    Operator op = fixOrphanPeers(region, fit, unhealthy, req);
    for (int i = 0; op == null && i < fit.ruleFits().size(); i++) {
      op = fixRulePeer(region, fit.ruleFits().get(i), fit, req);
    }
    return op == null ? List.of() : List.of(op);
  }

  private Set<Long> unhealthyStores(RegionInfo region, List<Metapb.Peer> peers) {
    Set<Long> out = new HashSet<>();
    for (Pdpb.PeerStats st : region.downPeers()) {
      out.add(st.getPeer().getStoreId());
    }
    for (Metapb.Peer p : region.pendingPeers()) {
      out.add(p.getStoreId());
    }
    for (Metapb.Peer p : peers) {
      StoreStatus st = cluster.storeStatus(p.getStoreId());
      if (st == null || st.down()) {
        out.add(p.getStoreId());
      }
    }
    return out;
  }

  private Operator fixOrphanPeers(RegionInfo region, RegionFit fit, Set<Long> unhealthy,
      CheckRequest req) {
    if (fit.orphanPeers().isEmpty()) {
      return null;
    }
    if (req.dryRun()) {
      req.saw("orphan peers (no rule takes them): " + fit.orphanPeers());
    }
    for (RuleFit rf : fit.ruleFits()) {
      if (!rf.satisfied()) {
        req.saw("rule " + rf.rule().key() + " is not satisfied: orphans stay for now");
        return null;
      }
    }
    if (!unhealthy.isEmpty()) {
      req.saw("stores " + unhealthy + " hold down or pending peers: orphans stay for now");
      return null;
    }
    FitPeer orphan = fit.orphanPeers().get(0);
    return build(OperatorBuilder.of("remove-orphan-peer", cluster, region)
        .removePeer(orphan.storeId()), req);
  }

  private Operator fixRulePeer(RegionInfo region, RuleFit rf, RegionFit fit, CheckRequest req) {
    Rule rule = rf.rule();
    if (rf.peers().size() < rule.count()) {
      if (req.dryRun()) {
        req.saw("rule " + rule.key() + " wants " + rule.count() + " peers, has "
            + rf.peers().size());
      }
      return addRulePeer(region, rf, req);
    }
    CheckerConfig cfg = cluster.config();
    for (FitPeer p : rf.peers()) {
      StoreStatus st = cluster.storeStatus(p.storeId());
      if (st == null) {
        req.saw("store " + p.storeId() + " of peer " + p.peerId() + " is unknown");
        continue;
      }
      if (st.down() && st.downMillis() >= cfg.maxStoreDownTime().toMillis()) {
        return replaceRulePeer(region, rf, p, "down", req);
      }
      if (st.state() != Metapb.StoreState.Up) {
        return replaceRulePeer(region, rf, p, "offline", req);
      }
    }
    if (!rf.peersWithDifferentRole().isEmpty()) {
      return fixRole(region, rf, fit, req);
    }
    return fixBetterLocation(region, rf, req);
  }

  private Operator addRulePeer(RegionInfo region, RuleFit rf, CheckRequest req) {
    Rule rule = rf.rule();
    ReplicaStrategy.Choice target = strategy(region, rule, req)
        .selectStoreToAdd(ruleStores(rf), List.of(StoreFilters.ruleConstraints(
            rule.labelConstraints())));
    if (target.storeId() == 0) {
      return ReplicaStrategy.noTarget(target, " for rule " + rule.key(), req);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (rule.peerRole() == PeerRole.LEARNER) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    return build(OperatorBuilder.of("add-rule-peer", cluster, region).addPeer(peer.build())
        .priority(Priority.HIGH), req);
  }

  private Operator replaceRulePeer(RegionInfo region, RuleFit rf, FitPeer old, String status,
      CheckRequest req) {
    Rule rule = rf.rule();
    if (req.dryRun()) {
      req.saw("peer " + old.peerId() + " of rule " + rule.key() + " is on " + status
          + " store " + old.storeId());
    }
    List<StoreInfo> others = new ArrayList<>();
    for (StoreInfo s : ruleStores(rf)) {
      if (s.id() != old.storeId()) {
        others.add(s);
      }
    }
    ReplicaStrategy.Choice target = strategy(region, rule, req).selectStoreToAdd(others,
        List.of(StoreFilters.ruleConstraints(rule.labelConstraints())));
    if (target.storeId() == 0) {
      return ReplicaStrategy.noTarget(target, " for rule " + rule.key(), req);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (old.learner()) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    String desc = "replace-rule-" + status + (old.leader() ? "-leader" : "") + "-peer";
    return build(OperatorBuilder.of(desc, cluster, region).removePeer(old.storeId())
        .addPeer(peer.build()).priority(Priority.HIGH), req);
  }

  private Operator fixRole(RegionInfo region, RuleFit rf, RegionFit fit, CheckRequest req) {
    PeerRole want = rf.rule().peerRole();
    for (FitPeer p : rf.peersWithDifferentRole()) {
      if (req.dryRun()) {
        req.saw("peer " + p.peerId() + " has the wrong role for rule " + rf.rule().key());
      }
      if (p.learner() && want != PeerRole.LEARNER) {
        return build(OperatorBuilder.of("fix-peer-role", cluster, region)
            .promoteLearner(p.storeId()), req);
      }
      if (p.leader() && want == PeerRole.FOLLOWER) {
        long to = leaderCandidate(fit, p.storeId());
        if (to == 0) {
          req.reason(Reason.NO_TARGET_STORE, "no peer may take the leader from store "
              + p.storeId());
          return null;
        }
        return build(OperatorBuilder.of("fix-leader-role", cluster, region).setLeader(to), req);
      }
      if (want == PeerRole.LEADER && !p.leader() && !p.learner()) {
        return build(OperatorBuilder.of("fix-leader-role", cluster, region)
            .setLeader(p.storeId()), req);
      }
      if (want == PeerRole.LEARNER && !p.learner()) {
        if (p.leader()) {
          long to = leaderCandidate(fit, p.storeId());
          if (to == 0) {
            req.reason(Reason.NO_TARGET_STORE, "no voter may take the leader");
            return null;
          }
          return build(OperatorBuilder.of("fix-leader-role", cluster, region).setLeader(to),
              req);
        }
        return build(OperatorBuilder.of("fix-demote-voter", cluster, region)
            .demoteVoter(p.storeId()), req);
      }
    }
    return null;
  }

  /** A voter store of a rule that accepts a leader (leader rules first), other than {@code not}. */
  private static long leaderCandidate(RegionFit fit, long not) {
    long any = 0;
    for (RuleFit rf : fit.ruleFits()) {
      PeerRole r = rf.rule().peerRole();
      for (FitPeer p : rf.peers()) {
        if (p.storeId() == not || p.learner()) {
          continue;
        }
        if (r == PeerRole.LEADER) {
          return p.storeId();
        }
        if (r == PeerRole.VOTER && any == 0) {
          any = p.storeId();
        }
      }
    }
    return any;
  }

  private Operator fixBetterLocation(RegionInfo region, RuleFit rf, CheckRequest req) {
    Rule rule = rf.rule();
    CheckerConfig cfg = cluster.config();
    if (!cfg.enableLocationReplacement() || rule.locationLabels().isEmpty()
        || rf.peers().size() < 2) {
      return null;
    }
    ReplicaStrategy strategy = strategy(region, rule, req);
    List<StoreInfo> stores = ruleStores(rf);
    long old = strategy.selectStoreToRemove(stores);
    if (old == 0) {
      return null;
    }
    ReplicaStrategy.Choice target = strategy.selectStoreToImprove(stores, old);
    if (target.storeId() == 0) {
      return null;
    }
    StoreInfo t = cluster.store(target.storeId());
    if (t == null || !dev.jpd.core.placement.LabelConstraint.matchesAll(StoreFilters.labelsOf(t),
        rule.labelConstraints())) {
      return null;
    }
    boolean learner = false;
    for (FitPeer p : rf.peers()) {
      if (p.storeId() == old) {
        learner = p.learner();
        if (p.leader()) {
          return null; // PD moves the leader away first; the leader scheduler will do it
        }
      }
    }
    if (req.dryRun()) {
      req.saw("store " + target.storeId() + " is better isolated than store " + old);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (learner) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    return build(OperatorBuilder.of("move-to-better-location", cluster, region).removePeer(old)
        .addPeer(peer.build()), req);
  }

  private ReplicaStrategy strategy(RegionInfo region, Rule rule, CheckRequest req) {
    String level = rule.isolationLevel() == null ? "" : rule.isolationLevel();
    return new ReplicaStrategy(cluster, region, req, rule.locationLabels(), level);
  }

  private List<StoreInfo> ruleStores(RuleFit rf) {
    List<StoreInfo> out = new ArrayList<>(rf.peers().size());
    for (FitPeer p : rf.peers()) {
      StoreInfo s = cluster.store(p.storeId());
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }


  private Operator build(OperatorBuilder b, CheckRequest req) {
    return ReplicaStrategy.build(b, cluster, req);
  }
}
