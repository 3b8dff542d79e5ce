package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.LimitType;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.storelimit.StoreLimit;

/**
 * The schedule config the operator controller obeys, read afresh for every decision (the
 * controller takes a supplier of it). Every method has PD's default, so an implementation
 * overrides only what it has.
 */
public interface ControllerConfig {

  /** PD's defaults everywhere. */
  ControllerConfig DEFAULTS = new ControllerConfig() {};

  /**
   * How many running operators may be counted under the kind (their lowest kind bit): PD's
   * {@code leader-schedule-limit} 4, {@code region-schedule-limit} 2048, {@code
   * replica-schedule-limit} 64, {@code merge-schedule-limit} 8, {@code hot-region-schedule-limit}
   * 4, {@code witness-schedule-limit} 4; other kinds (admin, split, range...) are not limited.
   */
  default long scheduleLimit(OpKind kind) {
    return defaultScheduleLimit(kind);
  }

  /**
   * The store's limit for the type in operations per minute ({@code store-limit} / {@code
   * /store/{id}/limit}): PD's default 15. 0 means no limit.
   */
  default double storeLimitPerMinute(long storeId, LimitType type) {
    return StoreLimit.DEFAULT_RATE_PER_MINUTE;
  }

  /** PD's {@code scheduler-max-waiting-operator}: waiting operators per description, default 5. */
  default int maxWaitingOperator() {
    return 5;
  }

  /** Whether steps are sent as ChangePeerV2 (the cluster version supports joint consensus). */
  default boolean useConfChangeV2() {
    return true;
  }

  /** PD's default schedule limit of a kind; {@link Long#MAX_VALUE} for kinds PD does not limit. */
  static long defaultScheduleLimit(OpKind kind) {
    return switch (kind) {
      case LEADER -> 4;
      case REGION -> 2048;
      case REPLICA -> 64;
      case MERGE -> 8;
      case HOT_REGION -> 4;
      case WITNESS -> 4;
      default -> Long.MAX_VALUE;
    };
  }

  /** PD's config key for the kind's limit ("region-schedule-limit"). */
  static String scheduleLimitKey(OpKind kind) {
    return kind.pdName() + "-schedule-limit";
  }
}
