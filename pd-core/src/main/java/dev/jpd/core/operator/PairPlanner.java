package dev.jpd.core.operator;

import dev.jpd.proto.Metapb;

/**
 * Plans without joint consensus (PD's {@code buildStepsWithoutJointConsensus}): repeatedly picks
 * the best small plan — a replacement (add + remove, or add + promote + remove), a promotion, a
 * removal or an addition, each with the leader it needs before adding and before removing — and
 * emits it, until nothing is left to change. Replacements go first because they keep the voter
 * and learner counts; candidates are compared by PD's preferences, most important first.
 */
final class PairPlanner {

  /** One candidate: its peers and the leader wanted before the add and before the remove. */
  record Plan(long leaderBeforeAdd, long leaderBeforeRemove, Metapb.Peer add, Metapb.Peer remove,
      Metapb.Peer promote) {
    static final Plan EMPTY = new Plan(0, 0, null, null, null);

    boolean isEmpty() {
      return add == null && remove == null && promote == null;
    }

    Plan withLeaders(long beforeAdd, long beforeRemove) {
      return new Plan(beforeAdd, beforeRemove, add, remove, promote);
    }

    long addStore() {
      return add == null ? 0 : add.getStoreId();
    }

    long removeStore() {
      return remove == null ? 0 : remove.getStoreId();
    }
  }

  private final StepPlanner p;
  /** The membership as the steps emitted so far leave it. */
  private final PeerMap current;

  PairPlanner(StepPlanner p, PeerMap originPeers) {
    this.p = p;
    this.current = originPeers.copy(2);
  }

  /** Emits the plans; returns null, or why it could not. */
  String build() {
    while (!p.toAdd().isEmpty() || !p.toRemove().isEmpty() || !p.toPromote().isEmpty()) {
      Plan plan = nextPlan();
      if (plan.isEmpty()) {
        return "fail to build operator: plan is empty, maybe no valid leader";
      }
      if (plan.leaderBeforeAdd() != 0 && plan.leaderBeforeAdd() != p.currentLeaderStoreId) {
        p.execTransferLeader(plan.leaderBeforeAdd());
        p.addKinds(OpKind.LEADER.bit());
      }
      if (plan.add() != null) {
        p.execAddPeer(plan.add(), false);
        current.put(plan.add());
        p.addKinds(OpKind.REGION.bit());
      }
      if (plan.promote() != null) {
        p.execPromoteLearner(plan.promote());
        current.put(plan.promote());
      }
      if (plan.leaderBeforeRemove() != 0 && plan.leaderBeforeRemove() != p.currentLeaderStoreId) {
        p.execTransferLeader(plan.leaderBeforeRemove());
        p.addKinds(OpKind.LEADER.bit());
      }
      if (plan.remove() != null) {
        p.execRemovePeer(plan.remove());
        current.remove(plan.removeStore());
        p.addKinds(OpKind.REGION.bit());
      }
    }
    p.setTargetLeaderIfNotExist();
    long target = p.targetLeaderStoreId();
    if (target != 0 && p.currentLeaderStoreId != target && current.containsKey(target)) {
      p.execTransferLeader(target);
      p.addKinds(OpKind.LEADER.bit());
    }
    if (p.stepCount() == 0) {
      return "no operator step is built";
    }
    return null;
  }

  private Plan nextPlan() {
    Plan plan = planReplace();
    if (plan.isEmpty()) {
      plan = planPromote();
    }
    if (plan.isEmpty()) {
      plan = planRemove();
    }
    if (plan.isEmpty()) {
      plan = planAdd();
    }
    return plan;
  }

  private Plan planReplace() {
    Plan best = Plan.EMPTY;
    PeerMap toAdd = p.toAdd();
    PeerMap toRemove = p.toRemove();
    PeerMap toPromote = p.toPromote();
    // add voter + remove voter, or add learner + remove learner
    for (int a = 0; a < toAdd.size(); a++) {
      Metapb.Peer add = toAdd.peerAt(a);
      if (!addable(add)) {
        continue;
      }
      for (int r = 0; r < toRemove.size(); r++) {
        Metapb.Peer remove = toRemove.peerAt(r);
        if (StepPlanner.isLearner(add) == StepPlanner.isLearner(remove)) {
          best = planReplaceLeaders(best, new Plan(0, 0, add, remove, null));
        }
      }
    }
    // add learner + promote learner + remove voter
    for (int pr = 0; pr < toPromote.size(); pr++) {
      Metapb.Peer promote = toPromote.peerAt(pr);
      for (int a = 0; a < toAdd.size(); a++) {
        Metapb.Peer add = toAdd.peerAt(a);
        if (!addable(add) || !StepPlanner.isLearner(add)) {
          continue;
        }
        for (int r = 0; r < toRemove.size(); r++) {
          Metapb.Peer remove = toRemove.peerAt(r);
          if (!StepPlanner.isLearner(remove) && add.getStoreId() != remove.getStoreId()) {
            best = planReplaceLeaders(best, new Plan(0, 0, add, remove, promote));
          }
        }
      }
    }
    return best;
  }

  /** A peer to add can be added once its store no longer holds a peer (the old one goes first). */
  private boolean addable(Metapb.Peer add) {
    return !current.containsKey(add.getStoreId());
  }

  /** Tries every leader before the add and before the remove; keeps the best plan. */
  private Plan planReplaceLeaders(Plan best, Plan next) {
    for (int i = 0; i < current.size(); i++) {
      Metapb.Peer beforeAdd = current.peerAt(i);
      if (!p.allowLeader(beforeAdd, false)) {
        continue;
      }
      long lba = beforeAdd.getStoreId();
      for (int j = 0; j < current.size(); j++) {
        Metapb.Peer beforeRemove = current.peerAt(j);
        if (beforeRemove.getStoreId() != next.removeStore() && p.allowLeader(beforeRemove, false)) {
          best = better(best, next, lba, beforeRemove.getStoreId());
        }
      }
      Metapb.Peer promote = next.promote();
      if (promote != null && promote.getStoreId() != next.removeStore()
          && p.allowLeader(promote, false)) {
        best = better(best, next, lba, promote.getStoreId());
      }
      if (next.add() != null && next.addStore() != next.removeStore()
          && p.allowLeader(next.add(), false)) {
        best = better(best, next, lba, next.addStore());
      }
    }
    return best;
  }

  private Plan planPromote() {
    return p.toPromote().isEmpty() ? Plan.EMPTY
        : new Plan(0, 0, null, null, p.toPromote().peerAt(0));
  }

  private Plan planRemove() {
    Plan best = Plan.EMPTY;
    PeerMap toRemove = p.toRemove();
    for (int i = 0; i < toRemove.size(); i++) {
      Metapb.Peer r = toRemove.peerAt(i);
      Plan remove = new Plan(0, 0, null, r, null);
      for (int j = 0; j < current.size(); j++) {
        Metapb.Peer leader = current.peerAt(j);
        if (p.allowLeader(leader, false) && leader.getStoreId() != r.getStoreId()) {
          best = better(best, remove, 0, leader.getStoreId());
        }
      }
    }
    return best;
  }

  private Plan planAdd() {
    Plan best = Plan.EMPTY;
    PeerMap toAdd = p.toAdd();
    for (int i = 0; i < toAdd.size(); i++) {
      Metapb.Peer a = toAdd.peerAt(i);
      if (!addable(a)) {
        continue;
      }
      Plan add = new Plan(0, 0, a, null, null);
      for (int j = 0; j < current.size(); j++) {
        Metapb.Peer leader = current.peerAt(j);
        if (p.allowLeader(leader, false)) {
          best = better(best, add, leader.getStoreId(), 0);
        }
      }
    }
    return best;
  }

  /**
   * {@code best}, or {@code next} with these leaders when that is better. Candidates are scored
   * with their leaders passed alongside, so a plan is allocated only when it wins.
   */
  private Plan better(Plan best, Plan next, long beforeAdd, long beforeRemove) {
    if (best.isEmpty() || compare(best, next, beforeAdd, beforeRemove) < 0) {
      return next.withLeaders(beforeAdd, beforeRemove);
    }
    return best;
  }

  /**
   * By PD's preferences, most important first; negative when {@code next} with these leaders is
   * better than {@code best} with its own.
   */
  private int compare(Plan best, Plan next, long nextBeforeAdd, long nextBeforeRemove) {
    long bestBeforeAdd = best.leaderBeforeAdd();
    long bestBeforeRemove = best.leaderBeforeRemove();
    // 1: safety of replicas
    int c = Integer.compare(preferReplaceByNearest(best), preferReplaceByNearest(next));
    // 2-3: speed (no snapshot from an offline store)
    if (c == 0) {
      c = Integer.compare(preferUpStoreAsLeader(best, bestBeforeAdd),
          preferUpStoreAsLeader(next, nextBeforeAdd));
    }
    if (c == 0) {
      c = Integer.compare(preferOldPeerAsLeader(best, bestBeforeAdd, bestBeforeRemove),
          preferOldPeerAsLeader(next, nextBeforeAdd, nextBeforeRemove));
    }
    // 4-6: fewer leader transfers
    if (c == 0) {
      c = Integer.compare(preferAddOrPromoteTargetLeader(best),
          preferAddOrPromoteTargetLeader(next));
    }
    if (c == 0) {
      c = Integer.compare(preferTargetLeader(bestBeforeAdd, bestBeforeRemove),
          preferTargetLeader(nextBeforeAdd, nextBeforeRemove));
    }
    if (c == 0) {
      c = Integer.compare(preferLessLeaderTransfer(bestBeforeAdd, bestBeforeRemove),
          preferLessLeaderTransfer(nextBeforeAdd, nextBeforeRemove));
    }
    return c;
  }

  // ---- preferences: a higher score is better ----

  /** Replace a peer by one on the nearest store (matching location labels). */
  private int preferReplaceByNearest(Plan plan) {
    if (plan.add() == null || plan.remove() == null) {
      return 0;
    }
    int m = p.labelMatch(plan.addStore(), plan.removeStore());
    if (plan.promote() != null) {
      m = Math.min(m, p.labelMatch(plan.promote().getStoreId(), plan.addStore()));
    }
    return m;
  }

  /** Avoid sending the snapshot from a store that is going away. */
  private int preferUpStoreAsLeader(Plan plan, long beforeAdd) {
    return plan.add() == null || p.storeUp(beforeAdd) ? 1 : 0;
  }

  /** A newly added peer may reject leadership (tikv/tikv#3819): prefer older peers. */
  private int preferOldPeerAsLeader(Plan plan, long beforeAdd, long beforeRemove) {
    int ret = -p.peerAddStep(beforeAdd);
    if (plan.add() != null && plan.addStore() == beforeRemove) {
      ret -= p.stepCount() + 1;
    } else {
      ret -= p.peerAddStep(beforeRemove);
    }
    return ret;
  }

  /** Add or promote the target leader as early as possible. */
  private int preferAddOrPromoteTargetLeader(Plan plan) {
    long target = p.targetLeaderStoreId();
    if (target == 0) {
      return 0;
    }
    boolean addTarget = plan.add() != null && !StepPlanner.isLearner(plan.add())
        && plan.addStore() == target;
    boolean promoteTarget = plan.promote() != null && plan.promote().getStoreId() == target;
    return addTarget || promoteTarget ? 1 : 0;
  }

  /** Move the leader to the target leader when it has to move anyway. */
  private int preferTargetLeader(long beforeAdd, long beforeRemove) {
    long target = p.targetLeaderStoreId();
    return target == 0
        || (beforeRemove != 0 && beforeRemove == target)
        || (beforeRemove == 0 && beforeAdd == target) ? 1 : 0;
  }

  /** Fewer leader transfers make a tidier operator. */
  private int preferLessLeaderTransfer(long beforeAdd, long beforeRemove) {
    long current = p.currentLeaderStoreId;
    boolean removeKeeps = beforeRemove == 0;
    if (beforeAdd == 0 || beforeAdd == current) {
      return 2 + (removeKeeps || beforeRemove == current ? 1 : 0);
    }
    return removeKeeps || beforeRemove == beforeAdd ? 1 : 0;
  }
}
