package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * The two operators of a merge, found from their MergeRegion step (so that nothing depends on
 * how the builder fills the additional info): the active one on the source region sends the
 * command, the passive one on the target finishes when the target's range has grown.
 */
final class MergePair {
  private MergePair() {}

  /** The other region of a merge pair, from the operator's MergeRegion step; 0 if none. */
  static long related(Operator op) {
    for (OpStep s : op.steps()) {
      if (s instanceof MergeRegion m) {
        return m.isPassive() ? m.fromRegion().getId() : m.toRegion().getId();
      }
    }
    return 0;
  }

  /** The operator's active MergeRegion step, or null when it is not a merge source. */
  static MergeRegion active(Operator op) {
    for (OpStep s : op.steps()) {
      if (s instanceof MergeRegion m && !m.isPassive()) {
        return m;
      }
    }
    return null;
  }

  /**
   * Groups operators into admission entries: a merge operator with the one after it (source,
   * target), every other operator alone. Throws with a message naming the operator when a merge
   * operator has no partner after it.
   */
  static List<List<Operator>> entries(Operator... ops) {
    List<List<Operator>> entries = new ArrayList<>(ops.length);
    for (int i = 0; i < ops.length; i++) {
      if (!ops[i].hasKind(OpKind.MERGE)) {
        entries.add(List.of(ops[i]));
        continue;
      }
      if (i + 1 >= ops.length || !ops[i + 1].hasKind(OpKind.MERGE)) {
        throw new IllegalArgumentException("merge operators must come in pairs (source, target); "
            + "operator " + ops[i].desc() + " on region " + ops[i].regionId() + " has none");
      }
      entries.add(List.of(ops[i], ops[i + 1]));
      i++;
    }
    return entries;
  }
}
