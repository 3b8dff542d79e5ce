package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;

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
}
