package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.ChangePeerV2Enter;
import dev.jpd.core.operator.ChangePeerV2Leave;
import dev.jpd.core.operator.OpStep;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.PromoteLearner;
import dev.jpd.core.operator.TransferLeader;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running operator in the controller's map, with what only the controller tracks about it:
 * when the push tick next re-sends its step, and how many finished steps the step histogram has
 * seen. Identity matters: the controller removes an entry only if it is still this one.
 */
final class Running {
  /** PD's {@code fastNotifyInterval}: re-push of quick steps. */
  static final Duration FAST_NOTIFY = Duration.ofSeconds(2);
  /** PD's {@code slowNotifyInterval}: re-push of the other steps. */
  static final Duration SLOW_NOTIFY = Duration.ofSeconds(5);

  final Operator op;
  volatile long nextPushMillis;
  /** Steps already observed in the step-duration histogram. */
  final AtomicInteger observedSteps = new AtomicInteger();

  Running(Operator op) {
    this.op = op;
  }

  /**
   * PD's {@code getNextPushOperatorTime}: 2 s after now for steps TiKV applies at once (leader
   * transfer, promote, joint enter and leave), 5 s for the rest.
   */
  static long nextPush(OpStep step, long now) {
    boolean fast = step instanceof TransferLeader || step instanceof PromoteLearner
        || step instanceof ChangePeerV2Enter || step instanceof ChangePeerV2Leave;
    return now + (fast ? FAST_NOTIFY : SLOW_NOTIFY).toMillis();
  }
}
