package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.PeerRole;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.RegionFit.RuleFit;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;

/**
 * The rule checker's fixes for peers a rule took with the wrong role (PD's {@code
 * fixLooseMatchPeer}), tried per peer in the fit's order, the first that applies deciding:
 *
 * <ol>
 *   <li>a learner in a non-learner rule: {@code fix-peer-role} promotes it;
 *   <li>a non-leader in a leader rule: {@code fix-leader-role} moves the leader to it, when it
 *       may lead ({@link #allowLeader}); else nothing for this rule ({@code not-allow-leader});
 *   <li>the leader in a follower rule: {@code fix-follower-role} moves the leader to the first
 *       other peer (region order) that may lead; else nothing ({@code no-new-leader});
 *   <li>a voter in a learner rule: {@code fix-demote-voter} demotes it.
 * </ol>
 *
 * Witness roles are not modelled here.
 */
final class RuleRoles {
  private RuleRoles() {}

  static Operator fix(CheckerCluster cluster, RegionInfo region, RuleFit rf, RegionFit fit,
      CheckRequest req) {
    PeerRole want = rf.rule().peerRole();
    for (FitPeer p : rf.peersWithDifferentRole()) {
      if (req.dryRun()) {
        req.saw("peer " + p.peerId() + " has the wrong role for rule " + rf.rule().key()
            + " (" + want.name().toLowerCase() + ")");
      }
      if (p.learner() && want != PeerRole.LEARNER) {
        req.event("fix-peer-role");
        return build(cluster, OperatorBuilder.of("fix-peer-role", cluster, region)
            .promoteLearner(p.storeId()), req);
      }
      if (!p.leader() && want == PeerRole.LEADER) {
        req.event("fix-leader-role");
        if (allowLeader(cluster, fit, p.storeId(), p.learner())) {
          return build(cluster, OperatorBuilder.of("fix-leader-role", cluster, region)
              .setLeader(p.storeId()), req);
        }
        req.event("not-allow-leader");
        req.reason(Reason.NO_TARGET_STORE, () -> "peer " + p.peerId() + " on store "
            + p.storeId() + " cannot be leader (store state or no leader/voter rule allows it)");
        return null;
      }
      if (p.leader() && want == PeerRole.FOLLOWER) {
        req.event("fix-follower-role");
        for (Metapb.Peer q : req.peers(region)) {
          if (q.getId() != p.peerId()
              && allowLeader(cluster, fit, q.getStoreId(), q.getRole() == Metapb.PeerRole.Learner)) {
            return build(cluster, OperatorBuilder.of("fix-follower-role", cluster, region)
                .setLeader(q.getStoreId()), req);
          }
        }
        req.event("no-new-leader");
        req.reason(Reason.NO_TARGET_STORE, () -> "no other peer may take the leader from store "
            + p.storeId() + " for follower rule " + rf.rule().key());
        return null;
      }
      if (!p.learner() && want == PeerRole.LEARNER) {
        req.event("demote-voter-role");
        return build(cluster, OperatorBuilder.of("fix-demote-voter", cluster, region)
            .demoteVoter(p.storeId()), req);
      }
    }
    return null;
  }

  /**
   * PD's {@code allowLeader}: a voter on a store that may take a leader ({@link
   * CheckerCluster#allowLeaderOn}: Up and not disconnected) and that matches the label
   * constraints of some leader or voter rule of the fit.
   */
  static boolean allowLeader(CheckerCluster cluster, RegionFit fit, long storeId,
      boolean learner) {
    if (learner) {
      return false;
    }
    StoreInfo s = cluster.store(storeId);
    if (s == null || !cluster.allowLeaderOn(s)) {
      return false;
    }
    for (RuleFit rf : fit.ruleFits()) {
      PeerRole r = rf.rule().peerRole();
      if ((r == PeerRole.LEADER || r == PeerRole.VOTER)
          && LabelConstraint.matchesAll(StoreFilters.labelsOf(s), rf.rule().labelConstraints())) {
        return true;
      }
    }
    return false;
  }

  private static Operator build(CheckerCluster cluster, OperatorBuilder b, CheckRequest req) {
    return ReplicaStrategy.build(b, cluster, req);
  }
}
