package dev.jpd.checker;

import dev.jpd.core.operator.AddLearner;
import dev.jpd.core.operator.AddPeer;
import dev.jpd.core.operator.ChangePeerV2Enter;
import dev.jpd.core.operator.ChangePeerV2Leave;
import dev.jpd.core.operator.DemoteVoter;
import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.PromoteLearner;
import dev.jpd.core.operator.RemovePeer;
import dev.jpd.core.operator.SplitRegion;
import dev.jpd.core.operator.TransferLeader;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact text form of operators for scenario tables: {@code desc priority: steps}, operators
 * joined by {@code " // "}. Steps: {@code +L4} add learner, {@code +4} add voter, {@code ^4}
 * promote, {@code v3} demote, {@code -3} remove, {@code T1>2} transfer leader, {@code
 * enter(^4,v3)} / {@code leave(^4,v3)} joint consensus, {@code merge(5>6)} / {@code
 * merge(5>6,passive)}, {@code split(n)} with n keys.
 */
final class OpText {
  private OpText() {}

  static String of(List<Operator> ops) {
    if (ops.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (Operator op : ops) {
      out.add(of(op));
    }
    return String.join(" // ", out);
  }

  static String of(Operator op) {
    List<String> steps = new ArrayList<>();
    for (OpStep s : op.steps()) {
      steps.add(step(s));
    }
    return op.desc() + " " + op.priority().pdName() + ": " + String.join(" ", steps);
  }

  static String step(OpStep s) {
    if (s instanceof AddLearner a) {
      return "+L" + a.toStore();
    } else if (s instanceof AddPeer a) {
      return "+" + a.toStore();
    } else if (s instanceof PromoteLearner p) {
      return "^" + p.toStore();
    } else if (s instanceof DemoteVoter d) {
      return "v" + d.toStore();
    } else if (s instanceof RemovePeer r) {
      return "-" + r.fromStore();
    } else if (s instanceof TransferLeader t) {
      return "T" + t.fromStore() + ">" + t.toStore();
    } else if (s instanceof ChangePeerV2Enter e) {
      return "enter(" + joint(e.promoteLearners(), e.demoteVoters()) + ")";
    } else if (s instanceof ChangePeerV2Leave l) {
      return "leave(" + joint(l.promoteLearners(), l.demoteVoters()) + ")";
    } else if (s instanceof MergeRegion m) {
      return "merge(" + m.fromRegion().getId() + ">" + m.toRegion().getId()
          + (m.isPassive() ? ",passive" : "") + ")";
    } else if (s instanceof SplitRegion sp) {
      return "split(" + sp.splitKeys().size() + ")";
    }
    return s.toString();
  }

  private static String joint(List<PromoteLearner> promote, List<DemoteVoter> demote) {
    List<String> parts = new ArrayList<>();
    promote.forEach(p -> parts.add("^" + p.toStore()));
    demote.forEach(d -> parts.add("v" + d.toStore()));
    return String.join(",", parts);
  }
}
