package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.operator.Priority;
import dev.jpd.core.placement.FitQueries;
import dev.jpd.core.placement.LabelConstraint;
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
 *   <li>orphan peers ({@link RuleOrphans}): {@code remove-orphan-peer}, {@code
 *       replace-down-peer-with-orphan-peer}, {@code remove-replaced-orphan-peer}, {@code
 *       remove-unhealthy-orphan-peer};
 *   <li>for each rule fit: too few peers → {@code add-rule-peer} (high), or when no store can
 *       take it, {@code replace-rule-swap-fit-peer} moves a peer of another rule off a store
 *       this rule could use; a peer on a Down store → {@code replace-rule-down-peer} / {@code
 *       replace-rule-down-leader-peer}; a peer on an Offline store → {@code
 *       replace-rule-offline-peer} / {@code replace-rule-offline-leader-peer}; a peer with the
 *       wrong role ({@link RuleRoles}) → {@code fix-peer-role}, {@code fix-leader-role}, {@code
 *       fix-follower-role}, {@code fix-demote-voter}; a store with a better isolation score →
 *       {@code move-to-better-location}.
 * </ol>
 *
 * <p>Store choice reuses {@link ReplicaStrategy} over the rule's own location labels, isolation
 * level and label constraints. Fits come from a {@link RegionFitCache}, and a region that is
 * {@link SettledFit settled} returns before any fix step.
 *
 * <p>Events ({@code pd_checker_event_count{type="rule_checker", name}}, counted by patrol checks
 * through {@link CheckRequest#event}) keep PD's {@code rule_checker} names: {@code
 * region-no-leader}, {@code need-split}, {@code add-rule-peer}, {@code no-store-add}, {@code
 * no-store-then-try-replace}, {@code no-store-replace}, {@code replace-down}, {@code
 * replace-offline}, {@code fix-peer-role}, {@code fix-leader-role}, {@code not-allow-leader},
 * {@code fix-follower-role}, {@code no-new-leader}, {@code demote-voter-role}, {@code
 * move-to-better-location}, {@code remove-orphan-peer}, {@code replace-orphan-peer}, {@code
 * replace-orphan-peer-no-fit}, {@code skip-remove-orphan-peer}. The chain adds {@code check},
 * {@code paused}, {@code operator-limit}, {@code new-operator} and the no-operator reason. PD's
 * fit-cache events ({@code get-cache}, {@code set-cache}) are not counted (the cache here is
 * always on and keyed by every input), and there are no witness events: no witness here.
 */
public final class RuleChecker implements Checker {
  static final String NAME = "rule";

  private final CheckerCluster cluster;
  private final RuleManager rules;
  private final RegionFitCache fits;
  private final StoreSearchMemo memo = new StoreSearchMemo();

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
    if (region.leaderId() == 0) {
      req.event("region-no-leader");
      req.reason(Reason.NOT_READY, "region has no leader");
      return List.of();
    }
    List<Rule> applied = rules.rulesForRange(region.startKey().toByteArray(),
        region.endKey().toByteArray());
    if (applied.isEmpty()) {
      req.reason(Reason.NEED_SPLIT, "no rule covers the whole region: split first");
      return List.of();
    }
    RegionFitCache.CachedFit cached = fits.fit(region, applied);
    if (SettledFit.settled(cached, region, cluster)) {
      req.reason(Reason.NOTHING_TO_DO, "every rule is satisfied, every peer store is Up and"
          + " healthy, and no store would be better isolated");
      return List.of(); // and no replica is missing
    }
    List<Metapb.Peer> peers = req.peers(region);
    RegionFit fit = fits.fitOf(cached, region);
    int missing = 0;
    for (RuleFit rf : fit.ruleFits()) {
      if (rf.rule().peerRole() != PeerRole.LEARNER) {
        missing += rf.rule().count() - rf.peers().size();
      }
    }
    req.missingReplicas(missing);
    Operator op = fixOrphanPeers(region, peers, fit, req);
    for (int i = 0; op == null && i < fit.ruleFits().size(); i++) {
      op = fixRulePeer(region, fit.ruleFits().get(i), fit, req);
    }
    return op == null ? List.of() : List.of(op);
  }

  /** PD's {@code fixOrphanPeers}: the decision is {@link RuleOrphans}'s, the operator ours. */
  private Operator fixOrphanPeers(RegionInfo region, List<Metapb.Peer> peers, RegionFit fit,
      CheckRequest req) {
    if (fit.orphanPeers().isEmpty()) {
      return null;
    }
    Map<Long, Map<String, String>> labels = new HashMap<>(); // only regions with orphans pay
    for (Metapb.Peer p : peers) {
      StoreInfo s = cluster.store(p.getStoreId());
      if (s != null) {
        labels.put(s.id(), StoreFilters.labelsOf(s));
      }
    }
    Set<Long> down = new HashSet<>();
    for (Pdpb.PeerStats st : region.downPeers()) {
      down.add(st.getPeer().getId());
    }
    Set<Long> pending = new HashSet<>();
    for (Metapb.Peer p : region.pendingPeers()) {
      pending.add(p.getId());
    }
    Set<Long> disconnected = new HashSet<>();
    for (Metapb.Peer p : peers) {
      StoreStatus st = cluster.storeStatus(p.getStoreId());
      if (st == null || st.disconnected()) {
        disconnected.add(p.getStoreId());
      }
    }
    RuleOrphans.Decision d = RuleOrphans.decide(fit,
        new RuleOrphans.Health(down, pending, disconnected), labels);
    d.events().forEach(req::event);
    req.saw(d.why());
    if (d.action() == RuleOrphans.Action.NONE) {
      req.reason(Reason.NOT_READY, d.why());
      return null;
    }
    OperatorBuilder b = OperatorBuilder.of(d.action().desc(), cluster, region);
    return switch (d.action()) {
      case NONE -> null;
      case REMOVE_ORPHAN, REMOVE_UNHEALTHY_ORPHAN, REMOVE_REPLACED ->
          build(b.removePeer(d.removeStore()), req);
      case PROMOTE_ORPHAN -> build(b.promoteLearner(d.orphanStore())
          .removePeer(d.removeStore()), req);
      case DEMOTE_ORPHAN -> build(b.demoteVoter(d.orphanStore())
          .removePeer(d.removeStore()), req);
    };
  }

  private Operator fixRulePeer(RegionInfo region, RuleFit rf, RegionFit fit, CheckRequest req) {
    Rule rule = rf.rule();
    if (rf.peers().size() < rule.count()) {
      if (req.dryRun()) {
        req.saw("rule " + rule.key() + " wants " + rule.count() + " peers, has "
            + rf.peers().size());
      }
      return addRulePeer(region, rf, fit, req);
    }
    CheckerConfig cfg = cluster.config();
    for (FitPeer p : rf.peers()) {
      StoreStatus st = cluster.storeStatus(p.storeId());
      if (st == null) {
        req.saw("store " + p.storeId() + " of peer " + p.peerId() + " is unknown");
        continue;
      }
      if (st.down() && st.downMillis() >= cfg.maxStoreDownTime().toMillis()) {
        req.event("replace-down");
        return replaceRulePeer(region, rf, p, "down", req);
      }
      if (st.state() != Metapb.StoreState.Up) {
        req.event("replace-offline");
        return replaceRulePeer(region, rf, p, "offline", req);
      }
    }
    if (!rf.peersWithDifferentRole().isEmpty()) {
      return RuleRoles.fix(cluster, region, rf, fit, req);
    }
    return fixBetterLocation(region, rf, req);
  }

  private Operator addRulePeer(RegionInfo region, RuleFit rf, RegionFit fit, CheckRequest req) {
    Rule rule = rf.rule();
    req.event("add-rule-peer");
    ReplicaStrategy.Choice target = strategy(region, rule, req)
        .selectStoreToAdd(ruleStores(rf), List.of());
    if (target.storeId() == 0) {
      req.event("no-store-add");
      ReplicaStrategy.noTarget(target, " for rule " + rule.key(), req);
      return swapFitPeer(region, rf, fit, req);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (rule.peerRole() == PeerRole.LEARNER) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    return build(OperatorBuilder.of("add-rule-peer", cluster, region, req.peers(region))
        .addPeer(peer.build()).priority(Priority.HIGH), req);
  }

  /**
   * PD's answer when no store can take a peer for {@code rf} (pd#7185): a peer whose store suits
   * {@code rf} but that serves another, satisfied rule moves elsewhere for that rule ({@code
   * replace-rule-swap-fit-peer}), so that next round {@code rf} can add a peer on the store it
   * frees. Peers are tried in region order; the first that qualifies decides.
   */
  private Operator swapFitPeer(RegionInfo region, RuleFit rf, RegionFit fit, CheckRequest req) {
    for (Metapb.Peer p : req.peers(region)) {
      StoreInfo s = cluster.store(p.getStoreId());
      if (s == null || !LabelConstraint.matchesAll(StoreFilters.labelsOf(s),
          rf.rule().labelConstraints())) {
        continue;
      }
      RuleFit holder = FitQueries.ruleFitOfPeer(fit, p.getId());
      if (holder == null || holder == rf || !holder.satisfied()) {
        continue;
      }
      req.event("no-store-then-try-replace");
      for (FitPeer fp : holder.peers()) {
        if (fp.peerId() == p.getId()) {
          return replaceRulePeer(region, holder, fp, "swap-fit", req);
        }
      }
    }
    return null;
  }

  private Operator replaceRulePeer(RegionInfo region, RuleFit rf, FitPeer old, String status,
      CheckRequest req) {
    Rule rule = rf.rule();
    if (req.dryRun()) {
      req.saw("peer " + old.peerId() + " of rule " + rule.key() + " on store " + old.storeId()
          + " is replaced (" + status + ")");
    }
    List<StoreInfo> others = new ArrayList<>();
    for (StoreInfo s : ruleStores(rf)) {
      if (s.id() != old.storeId()) {
        others.add(s);
      }
    }
    ReplicaStrategy.Choice target = strategy(region, rule, req).selectStoreToAdd(others,
        List.of());
    if (target.storeId() == 0) {
      req.event("no-store-replace");
      return ReplicaStrategy.noTarget(target, " for rule " + rule.key(), req);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (old.learner()) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    String desc = replaceDesc(status, old.leader());
    return build(OperatorBuilder.of(desc, cluster, region, req.peers(region))
        .removePeer(old.storeId()).addPeer(peer.build()).priority(Priority.HIGH), req);
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
    if (t == null || !LabelConstraint.matchesAll(StoreFilters.labelsOf(t),
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
    req.event("move-to-better-location");
    if (req.dryRun()) {
      req.saw("store " + target.storeId() + " is better isolated than store " + old);
    }
    Metapb.Peer.Builder peer = Metapb.Peer.newBuilder().setStoreId(target.storeId());
    if (learner) {
      peer.setRole(Metapb.PeerRole.Learner);
    }
    return build(OperatorBuilder.of("move-to-better-location", cluster, region, req.peers(region))
        .removePeer(old).addPeer(peer.build()), req);
  }

  /** PD's description of a replacement; the common ones without building a string each time. */
  private static String replaceDesc(String status, boolean leader) {
    return switch (status) {
      case "down" -> leader ? "replace-rule-down-leader-peer" : "replace-rule-down-peer";
      case "offline" -> leader ? "replace-rule-offline-leader-peer" : "replace-rule-offline-peer";
      default -> "replace-rule-" + status + (leader ? "-leader" : "") + "-peer";
    };
  }

  ReplicaStrategy strategy(RegionInfo region, Rule rule, CheckRequest req) {
    String level = rule.isolationLevel() == null ? "" : rule.isolationLevel();
    return new ReplicaStrategy(cluster, region, req, rule.locationLabels(), level,
        rule.labelConstraints(), memo);
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
