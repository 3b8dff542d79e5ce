package dev.jpd.core.operator;

import static dev.jpd.core.operator.Regions.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.region.RegionInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's status machine, expiry, per-step timeouts and progress from reported regions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperatorTest {

  /** The allowed transitions, written out independently of {@link OpStatus}'s own table. */
  private static final Map<OpStatus, Set<OpStatus>> ALLOWED = Map.of(
      OpStatus.CREATED, EnumSet.of(OpStatus.STARTED, OpStatus.CANCELED, OpStatus.EXPIRED),
      OpStatus.STARTED, EnumSet.of(OpStatus.SUCCESS, OpStatus.CANCELED, OpStatus.REPLACED,
          OpStatus.TIMEOUT));

  static Stream<Arguments> everyPair() {
    return Stream.of(OpStatus.values()).flatMap(from -> Stream.of(OpStatus.values())
        .map(to -> Arguments.of(from, to,
            ALLOWED.getOrDefault(from, Set.of()).contains(to))));
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("everyPair")
  void transitionTable(OpStatus from, OpStatus to, boolean allowed) {
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    assertThat(from.isEnd()).isEqualTo(!ALLOWED.containsKey(from));
  }

  private static final RegionInfo ORIGIN = region("1* 2 3", 10);
  private static final PromoteLearner PROMOTE = new PromoteLearner(4, 100);
  private static final DemoteVoter DEMOTE = new DemoteVoter(3, 3);

  /** The joint plan that replaces the peer on store 3 with one on store 4. */
  static Operator replacePeer(long createMillis) {
    return new Operator("replace-rule-offline-peer", "mv peer: store [3] to [4]", 1,
        ORIGIN.epoch(), OpKind.of(OpKind.REPLICA, OpKind.REGION), ORIGIN.approximateSize(),
        Priority.HIGH, List.of(new AddLearner(4, 100),
            new ChangePeerV2Enter(List.of(PROMOTE), List.of(DEMOTE)),
            new ChangePeerV2Leave(List.of(PROMOTE), List.of(DEMOTE)), new RemovePeer(3, 3)),
        createMillis);
  }

  @Test
  void operatorMethodsFollowTheTable() {
    Operator op = replacePeer(0);
    assertThat(op.replace(10)).as("CREATED -> REPLACED").isFalse();
    assertThat(op.start(10)).isTrue();
    assertThat(op.start(11)).as("STARTED -> STARTED").isFalse();
    assertThat(op.checkExpired(10_000)).as("a started operator never expires").isFalse();
    assertThat(op.replace(20)).isTrue();
    assertThat(op.status()).isEqualTo(OpStatus.REPLACED);
    assertThat(op.cancel(CancelReason.ADMIN_STOP, 30)).as("an end status is final").isFalse();
    assertThat(op.cancelReason()).isNull();
    assertThat(op.reachedMillis(OpStatus.REPLACED)).isEqualTo(20);

    Operator canceled = replacePeer(0);
    assertThat(canceled.cancel(CancelReason.EXCEED_STORE_LIMIT, 5)).isTrue();
    assertThat(canceled.cancelReason()).isEqualTo(CancelReason.EXCEED_STORE_LIMIT);
    assertThat(canceled.start(6)).isFalse();
  }

  @Test
  void reachedMillisIsSetOncePerStatusOnItsPath() {
    Operator op = replacePeer(7);
    assertThat(Stream.of(OpStatus.values()).map(op::reachedMillis))
        .containsExactly(7L, -1L, -1L, -1L, -1L, -1L, -1L);
    op.start(12);
    op.cancel(CancelReason.ADMIN_STOP, 15);
    op.checkTimeout(99_000_000);
    assertThat(Stream.of(OpStatus.values()).map(op::reachedMillis))
        .as("CREATED, STARTED, SUCCESS, CANCELED, REPLACED, EXPIRED, TIMEOUT")
        .containsExactly(7L, 12L, -1L, 15L, -1L, -1L, -1L);
    assertThat(op.startMillis()).isEqualTo(12);

    Operator expired = replacePeer(7);
    expired.checkExpired(5_000);
    assertThat(Stream.of(OpStatus.values()).map(expired::reachedMillis))
        .containsExactly(7L, -1L, -1L, -1L, -1L, 5_000L, -1L);
  }

  @Test
  void expiresThreeSecondsAfterCreationIfNotStarted() {
    Operator op = replacePeer(1_000);
    assertThat(op.checkExpired(3_999)).isFalse();
    assertThat(op.status()).isEqualTo(OpStatus.CREATED);
    assertThat(op.checkExpired(4_000)).isTrue();
    assertThat(op.status()).isEqualTo(OpStatus.EXPIRED);
    assertThat(op.start(4_001)).isFalse();
    assertThat(op.status().toPdpb().name()).isEqualTo("TIMEOUT");
  }

  @Test
  void checkAdvancesStepByStepToSuccessAndSumsConfVer() {
    Operator op = replacePeer(0);
    op.start(1_000);
    record Beat(String region, int currentStep, long confVer) {}
    List<Beat> beats = List.of(
        new Beat("1* 2 3", 0, 0),
        new Beat("1* 2 3 L4:100~", 0, 1), // added, snapshot pending
        new Beat("1* 2 3 L4:100", 1, 1),
        new Beat("1* 2 D3 I4:100", 2, 3), // entered: +2
        new Beat("1* 2 L3 4:100", 3, 5), // left: +2
        new Beat("1* 2 4:100", 4, 6)); // removed: +1, and the enter still counts its 2
    long now = 2_000;
    for (Beat b : beats) {
      RegionInfo r = region(b.region(), 10);
      OpStep step = op.check(r, now);
      assertThat(op.currentStepIndex()).as("after %s", b.region()).isEqualTo(b.currentStep());
      assertThat(op.confVerChanged(r)).as("confVer after %s", b.region()).isEqualTo(b.confVer());
      if (b.currentStep() < op.len()) {
        assertThat(step).isSameAs(op.step(b.currentStep()));
        assertThat(op.status()).isEqualTo(OpStatus.STARTED);
      } else {
        assertThat(step).isNull();
        assertThat(op.status()).isEqualTo(OpStatus.SUCCESS);
      }
      now += 1_000;
    }
    assertThat(op.stepFinishMillis(0)).isEqualTo(4_000);
    assertThat(op.stepStartMillis(1)).isEqualTo(4_000);
  }

  @Test
  void eachStepTimesOutOnItsOwnSizeAwareClock() {
    Operator op = replacePeer(0);
    op.start(1_000);
    RegionInfo waiting = region("1* 2 3", 10);
    // AddLearner is slow: 10 min for a 10 MiB region, counted from the start
    op.check(waiting, 1_000 + 600_000);
    assertThat(op.status()).isEqualTo(OpStatus.STARTED);
    // the learner arrives; the enter step (fast x 3 = 180 s) counts from now
    op.check(region("1* 2 3 L4:100", 10), 1_000 + 600_000);
    assertThat(op.currentStepIndex()).isEqualTo(1);
    assertThat(op.checkTimeout(1_000 + 600_000 + 180_000)).isFalse();
    assertThat(op.checkTimeout(1_000 + 600_000 + 180_001)).isTrue();
    assertThat(op.status()).isEqualTo(OpStatus.TIMEOUT);
    assertThat(op.check(waiting, 2_000_000)).as("an ended operator has no step").isNull();
  }

  @Test
  void theFirstStepTimesOutOneMillisecondPastItsTimeout() {
    Operator op = replacePeer(0);
    op.start(1_000);
    assertThat(op.checkTimeout(601_001)).isTrue();
    assertThat(op.status()).isEqualTo(OpStatus.TIMEOUT);
  }

  @Test
  void timeoutIsTheSumOfTheStepsForTheRegionSize() {
    // 10 MiB: slow 600 s + enter 180 s + leave 180 s + remove 60 s, as PD logs "timeout:[17m0s]"
    assertThat(replacePeer(0).timeout().toSeconds()).isEqualTo(1_020);
  }

  @Test
  void adminOperatorsAreUrgent() {
    Operator op = new Operator("admin-transfer-leader", "", 1, ORIGIN.epoch(),
        OpKind.of(OpKind.ADMIN, OpKind.LEADER), 10, Priority.LOW,
        List.of(new TransferLeader(1, 2)), 0);
    assertThat(op.priority()).isEqualTo(Priority.URGENT);
    assertThat(op.schedulerKind()).isEqualTo(OpKind.ADMIN);
  }
}
