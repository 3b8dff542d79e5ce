package dev.jpd.checker;

import dev.jpd.core.placement.FitQueries;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.RegionFit.RuleFit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to do with a region's orphan peers (peers no placement rule took): PD's {@code
 * fixOrphanPeers}, as a pure decision over the fit and the peers' health.
 *
 * <p>Design: an orphan is dropped at once only when every rule is satisfied and none of the
 * rules' peers is down, pending or on a disconnected store. Otherwise an orphan is a spare copy
 * of the data and is worth keeping: a healthy orphan first tries to take the place of the first
 * rule peer that is down or on a disconnected store ({@code replace-down-peer-with-orphan-peer}:
 * promote or demote the orphan and remove the down peer in one operator; when the roles already
 * agree, {@code remove-replaced-orphan-peer} removes the down peer and the orphan fits the rule
 * next round). With two or more orphans, an unhealthy one (down or pending) goes first ({@code
 * remove-unhealthy-orphan-peer}), and a second healthy one goes only while the region has more
 * peers than its rules ask for, a disconnected orphan before the others ({@code
 * remove-orphan-peer}). Else the orphans stay ({@code skip-remove-orphan-peer}).
 *
 * <p>Event names are PD's {@code pd_checker_event_count{type="rule_checker"}} names.
 */
final class RuleOrphans {
  private RuleOrphans() {}

  /** What {@link #decide} chose. */
  enum Action {
    /** Keep the orphans (or there are none). */
    NONE(""),
    /** Remove the orphan on {@link Decision#removeStore}. */
    REMOVE_ORPHAN("remove-orphan-peer"),
    /** Remove the down or pending orphan on {@link Decision#removeStore}. */
    REMOVE_UNHEALTHY_ORPHAN("remove-unhealthy-orphan-peer"),
    /** Promote the learner orphan on {@link Decision#orphanStore}, remove the down voter. */
    PROMOTE_ORPHAN("replace-down-peer-with-orphan-peer"),
    /** Demote the voter orphan on {@link Decision#orphanStore}, remove the down learner. */
    DEMOTE_ORPHAN("replace-down-peer-with-orphan-peer"),
    /** The orphan already has the down peer's role: remove the down peer. */
    REMOVE_REPLACED("remove-replaced-orphan-peer");

    private final String desc;

    Action(String desc) {
      this.desc = desc;
    }

    /** PD's operator description. */
    String desc() {
      return desc;
    }
  }

  /**
   * The health facts the decision reads.
   *
   * @param downPeers ids of the peers the leader reports down
   * @param pendingPeers ids of the peers the leader reports pending
   * @param disconnectedStores stores silent over 20 s (down ones included), or unknown
   */
  record Health(Set<Long> downPeers, Set<Long> pendingPeers, Set<Long> disconnectedStores) {
    boolean unhealthy(FitPeer p) {
      return downPeers.contains(p.peerId()) || pendingPeers.contains(p.peerId());
    }

    boolean disconnected(FitPeer p) {
      return disconnectedStores.contains(p.storeId());
    }
  }

  /**
   * The decision.
   *
   * @param removeStore the store whose peer the operator removes (0 for {@link Action#NONE})
   * @param orphanStore the orphan that changes role ({@link Action#PROMOTE_ORPHAN}, {@link
   *     Action#DEMOTE_ORPHAN}), or 0
   * @param events PD's event names, in the order PD counts them
   * @param why one line for a diagnosis
   */
  record Decision(Action action, long removeStore, long orphanStore, List<String> events,
      String why) {}

  /** PD's {@code fixOrphanPeers} decision; {@code labels} maps store id to labels. */
  static Decision decide(RegionFit fit, Health health, Map<Long, Map<String, String>> labels) {
    List<FitPeer> orphans = fit.orphanPeers();
    List<String> events = new ArrayList<>(2);
    if (orphans.isEmpty()) {
      return new Decision(Action.NONE, 0, 0, events, "no orphan peer");
    }
    FitPeer pinDown = null;
    String unhealthyFit = null;
    for (RuleFit rf : fit.ruleFits()) {
      if (!rf.satisfied()) {
        unhealthyFit = "rule " + rf.rule().key() + " is not satisfied";
        break;
      }
      for (FitPeer p : rf.peers()) {
        if (health.disconnected(p) || health.downPeers().contains(p.peerId())) {
          pinDown = p;
          unhealthyFit = "peer " + p.peerId() + " of rule " + rf.rule().key()
              + " is down or on a disconnected store";
          break;
        }
        if (health.pendingPeers().contains(p.peerId())) {
          unhealthyFit = "peer " + p.peerId() + " of rule " + rf.rule().key() + " is pending";
          break;
        }
      }
      if (unhealthyFit != null) {
        break;
      }
    }
    if (unhealthyFit == null) {
      events.add("remove-orphan-peer");
      return new Decision(Action.REMOVE_ORPHAN, orphans.get(0).storeId(), 0, events,
          "every rule is satisfied and healthy: orphan peer " + orphans.get(0).peerId()
              + " goes");
    }
    if (pinDown != null && health.disconnected(pinDown)) {
      Decision d = replaceWithOrphan(fit, health, labels, pinDown, events);
      if (d != null) {
        return d;
      }
    }
    if (orphans.size() >= 2) {
      Decision d = removeOneOfMany(fit, health, events, unhealthyFit);
      if (d != null) {
        return d;
      }
    }
    events.add("skip-remove-orphan-peer");
    return new Decision(Action.NONE, 0, 0, events, unhealthyFit + ": orphan peers "
        + orphans.stream().map(FitPeer::peerId).toList() + " stay as spare copies");
  }

  private static Decision replaceWithOrphan(RegionFit fit, Health health,
      Map<Long, Map<String, String>> labels, FitPeer down, List<String> events) {
    for (FitPeer orphan : fit.orphanPeers()) {
      if (orphan.peerId() == down.peerId() || health.unhealthy(orphan)
          || health.disconnected(orphan)) {
        continue;
      }
      if (!FitQueries.canReplace(fit, down.storeId(), orphan.storeId(), labels)) {
        events.add("replace-orphan-peer-no-fit");
        continue;
      }
      events.add("replace-orphan-peer");
      String why = "healthy orphan peer " + orphan.peerId() + " on store " + orphan.storeId()
          + " takes the place of peer " + down.peerId() + " on disconnected store "
          + down.storeId();
      if (orphan.learner() && !down.learner()) {
        return new Decision(Action.PROMOTE_ORPHAN, down.storeId(), orphan.storeId(), events,
            why);
      }
      if (!orphan.learner() && down.learner()) {
        return new Decision(Action.DEMOTE_ORPHAN, down.storeId(), orphan.storeId(), events, why);
      }
      return new Decision(Action.REMOVE_REPLACED, down.storeId(), 0, events, why);
    }
    return null;
  }

  private static Decision removeOneOfMany(RegionFit fit, Health health, List<String> events,
      String unhealthyFit) {
    List<FitPeer> orphans = fit.orphanPeers();
    FitPeer disconnected = null;
    for (FitPeer o : orphans) {
      if (health.disconnected(o)) {
        disconnected = o;
        break;
      }
    }
    int extra = FitQueries.extraCount(fit);
    boolean healthySeen = false;
    for (FitPeer o : orphans) {
      if (health.unhealthy(o)) {
        events.add("remove-orphan-peer");
        return new Decision(Action.REMOVE_UNHEALTHY_ORPHAN, o.storeId(), 0, events,
            unhealthyFit + ": orphan peer " + o.peerId() + " is down or pending");
      }
      if (healthySeen && extra > 0) {
        FitPeer victim = disconnected != null ? disconnected : o;
        events.add("remove-orphan-peer");
        return new Decision(Action.REMOVE_ORPHAN, victim.storeId(), 0, events,
            unhealthyFit + ": one healthy orphan is kept, peer " + victim.peerId() + " goes");
      }
      healthySeen = true;
    }
    return null;
  }
}
