package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.MergeRegion;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.util.Optional;

/**
 * Whether a running operator has gone stale, judged from the region a leader reported or the
 * cached one (PD's {@code checkStaleOperator}, heartbeats only, and the merge epoch check of
 * {@code checkOperatorLightly}, both sources). A pure decision: the controller cancels.
 */
final class StaleCheck {
  private StaleCheck() {}

  /**
   * Why the operator is stale.
   *
   * @param reason the cancel reason
   * @param detail the log text after the region id
   * @param event an extra controller event to count, or null
   */
  record Verdict(CancelReason reason, String detail, String event) {}

  /**
   * The verdict for the operator at its current step, or null when it may go on.
   *
   * @param fromHeartbeat the region came with a leader's heartbeat (not the push tick's cache)
   */
  static Verdict judge(Operator op, OpStep step, RegionInfo region, boolean fromHeartbeat) {
    if (step instanceof MergeRegion m && !m.isPassive()) {
      return null; // PrepareMerge moves the source's epoch: that is progress, not staleness
    }
    if (fromHeartbeat) {
      Optional<String> why = step.checkInProgress(region);
      if (why.isPresent()) {
        return new Verdict(CancelReason.STALE_STATUS, "err=\"" + why.get() + "\"", null);
      }
      long changes = region.confVer() - op.epoch().getConfVer();
      if (changes > op.confVerChanged(region)) {
        return new Verdict(CancelReason.EPOCH_NOT_MATCH, "diff=" + changes + " "
            + epoch(region), null);
      }
    }
    if (op.hasKind(OpKind.MERGE) && region.version() > op.epoch().getVersion()) {
      return new Verdict(CancelReason.EPOCH_NOT_MATCH, epoch(region), "epoch-not-match");
    }
    return null;
  }

  private static String epoch(RegionInfo region) {
    return "latest-epoch=\"version:" + region.version() + " conf_ver:" + region.confVer() + "\"";
  }
}
