package dev.jpd.core.storelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.operator.LimitType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StoreLimitTest {
  static final long T0 = 1_700_000_000_000L;
  static final long STEP = LimitType.REGION_INFLUENCE;

  @Test
  void defaultRateHoldsOneStepAndRefillsOneStepEveryFourSeconds() {
    StoreLimit l = new StoreLimit(StoreLimit.DEFAULT_RATE_PER_MINUTE, T0);
    // 15/min = 0.25 steps/s = 250 tokens/s; capacity max(1000, 250) = 1000.
    assertThat(l.capacity()).isEqualTo(1000);
    assertThat(l.available(STEP, T0)).isTrue();
    assertThat(l.take(STEP, T0)).isTrue();
    assertThat(l.available(STEP, T0)).isFalse();
    assertThat(l.take(STEP, T0)).isFalse();
    assertThat(l.tokens(T0)).isZero(); // a refused take costs nothing
    assertThat(l.tokens(T0 + 2_000)).isEqualTo(500);
    assertThat(l.available(STEP, T0 + 3_999)).isFalse();
    assertThat(l.available(STEP, T0 + 4_000)).isTrue();
    // a small region's step (200) fits after 0.8 s
    assertThat(l.take(STEP, T0 + 4_000)).isTrue();
    assertThat(l.take(LimitType.SMALL_REGION_INFLUENCE, T0 + 4_799)).isFalse();
    assertThat(l.take(LimitType.SMALL_REGION_INFLUENCE, T0 + 4_800)).isTrue();
  }

  @Test
  void refillStopsAtCapacity() {
    StoreLimit l = new StoreLimit(15, T0);
    assertThat(l.tokens(T0 + 3_600_000)).isEqualTo(1000);
    assertThat(l.take(STEP, T0 + 3_600_000)).isTrue();
    assertThat(l.take(STEP, T0 + 3_600_000)).isFalse();
  }

  @Test
  void fastRateBurstsForOneSecond() {
    // 600/min = 10 steps/s: capacity 10 000 tokens.
    StoreLimit l = new StoreLimit(600, T0);
    assertThat(l.capacity()).isEqualTo(10_000);
    for (int i = 0; i < 10; i++) {
      assertThat(l.take(STEP, T0)).as("take %d", i).isTrue();
    }
    assertThat(l.take(STEP, T0)).isFalse();
    assertThat(l.take(STEP, T0 + 100)).isTrue();
  }

  @Test
  void unlimitedAndZeroNeverRefuse() {
    StoreLimit unlimited = new StoreLimit(StoreLimit.UNLIMITED, T0);
    StoreLimit zero = new StoreLimit(0, T0);
    for (int i = 0; i < 1000; i++) {
      assertThat(unlimited.take(STEP, T0)).isTrue();
      assertThat(zero.take(STEP, T0)).isTrue();
    }
    assertThat(unlimited.unlimited()).isTrue();
    assertThat(new StoreLimit(15, T0).unlimited()).isFalse();
  }

  @Test
  void resetToANewRateStartsFullAndTheSameRateKeepsTheTokens() {
    StoreLimit l = new StoreLimit(15, T0);
    l.take(STEP, T0);
    l.reset(15, T0);
    assertThat(l.available(STEP, T0)).isFalse();
    l.reset(30, T0);
    assertThat(l.ratePerMinute()).isEqualTo(30);
    assertThat(l.available(STEP, T0)).isTrue();
  }

  @Test
  void negativeRateIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new StoreLimit(-1, T0)).hasMessageContaining("-1.0");
  }

  @Test
  void storeLimitsKeepOneBucketPerStoreAndTypeAndFollowTheRate() {
    StoreLimits all = new StoreLimits();
    StoreLimit add1 = all.get(1, LimitType.ADD_PEER, 15, T0);
    assertThat(add1.take(STEP, T0)).isTrue();
    assertThat(all.get(1, LimitType.ADD_PEER, 15, T0)).isSameAs(add1);
    assertThat(all.get(1, LimitType.ADD_PEER, 15, T0).available(STEP, T0)).isFalse();
    assertThat(all.get(1, LimitType.REMOVE_PEER, 15, T0).available(STEP, T0)).isTrue();
    assertThat(all.get(2, LimitType.ADD_PEER, 15, T0).available(STEP, T0)).isTrue();
    // the store starts draining: its remove-peer rate becomes unlimited
    StoreLimit rm = all.get(1, LimitType.REMOVE_PEER, StoreLimit.UNLIMITED, T0);
    assertThat(rm.unlimited()).isTrue();
    all.removeStore(1);
    assertThat(all.peek(1, LimitType.ADD_PEER)).isNull();
    assertThat(all.peek(2, LimitType.ADD_PEER)).isNotNull();
  }
}
