package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.LimitType;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.storelimit.StoreLimit;
import java.util.EnumMap;
import java.util.Map;

/** A schedule config the test changes as it goes; PD's defaults until then. */
final class FakeConfig implements ControllerConfig {
  final Map<OpKind, Long> limits = new EnumMap<>(OpKind.class);
  volatile double storeRate = StoreLimit.DEFAULT_RATE_PER_MINUTE;
  volatile int maxWaiting = 5;
  volatile boolean v2 = false;

  @Override
  public long scheduleLimit(OpKind kind) {
    return limits.getOrDefault(kind, ControllerConfig.defaultScheduleLimit(kind));
  }

  @Override
  public double storeLimitPerMinute(long storeId, LimitType type) {
    return storeRate;
  }

  @Override
  public int maxWaitingOperator() {
    return maxWaiting;
  }

  @Override
  public boolean useConfChangeV2() {
    return v2;
  }
}
