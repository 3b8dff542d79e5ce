package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chain itself: order, pausing on the clock, dry-run explanations and events. */
@Timeout(30)
class CheckerChainTest {
  private final FakeCluster fc = new FakeCluster();
  private final RecordingOperators ops = new RecordingOperators();
  private final List<String> events = new ArrayList<>();
  private final CheckerChain chain =
      CheckerChain.standard(fc.view, ops, (type, name) -> events.add(type + "/" + name));

  @Test
  void checkersInPdOrder() {
    assertThat(chain.names()).containsExactly("joint-state", "split", "learner", "replica",
        "merge");
  }

  @Test
  void aRuleCheckerTakesOverWhilePlacementRulesAreOn() {
    Checker rule = new Checker() {
      @Override
      public String name() {
        return "rule";
      }

      @Override
      public List<Operator> check(RegionInfo region, CheckRequest req) {
        req.saw("rule checker ran");
        return List.of();
      }
    };
    CheckerChain withRules = CheckerChain.standard(fc.view, ops, CheckerEvents.none(), rule);
    assertThat(withRules.names()).containsExactly("joint-state", "split", "rule", "learner",
        "replica", "merge");
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    assertThat(withRules.check(r, CheckRequest.forPatrol())).hasSize(1); // rules off: replica
    fc.config(b -> b.enablePlacementRules(true));
    Diagnosis d = withRules.diagnose(r);
    assertThat(d.operators()).isEmpty();
    assertThat(d.reports()).extracting(CheckerReport::checker, CheckerReport::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("rule", Reason.NOTHING_TO_DO),
            org.assertj.core.groups.Tuple.tuple("replica", Reason.DISABLED));
  }

  @Test
  void pauseLastsForTheDelayOnTheClock() {
    fc.addStores(1, 2, 3);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    chain.pause("replica", Duration.ofSeconds(10));
    assertThat(chain.isPaused("replica")).isTrue();
    assertThat(chain.paused()).containsOnlyKeys("replica");
    assertThat(chain.check(r, CheckRequest.forPatrol())).isEmpty();
    assertThat(events).contains("replica_checker/paused");
    fc.clock.advance(Duration.ofSeconds(10));
    assertThat(chain.isPaused("replica")).isFalse();
    assertThat(chain.check(r, CheckRequest.forPatrol())).hasSize(1);
    chain.pause("replica", Duration.ofMinutes(1));
    chain.pause("replica", Duration.ZERO); // resume
    assertThat(chain.isPaused("replica")).isFalse();
  }

  @Test
  void pausingAnUnknownCheckerNamesTheKnownOnes() {
    assertThatThrownBy(() -> chain.pause("balance", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown checker \"balance\": use one of joint-state, split, learner,"
            + " replica, merge");
  }

  @Test
  void aDryRunExplainsWhyNoStoreQualified() {
    fc.config(b -> b.maxReplicas(3));
    fc.addStores(1, 2, 3, 4, 5, 6);
    fc.setStoreDown(3).setStoreOffline(4).setStoreLowSpace(5).setStoreBusy(6);
    RegionInfo r = fc.addRegion(1, "1* 2 3!", 10, 100);
    Diagnosis d = chain.diagnose(r);
    assertThat(d.operators()).isEmpty();
    CheckerReport replica = d.reports().stream().filter(x -> x.checker().equals("replica"))
        .findFirst().orElseThrow();
    assertThat(replica.reason()).isEqualTo(Reason.NO_TARGET_STORE);
    assertThat(replica.saw()).anyMatch(s -> s.contains("store 3 is down"));
    assertThat(replica.rejectedStores()).extracting(StoreRejection::storeId,
        StoreRejection::filter, StoreRejection::why).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(1L, "exclude", "already holds a peer of the region"),
        org.assertj.core.groups.Tuple.tuple(2L, "exclude", "already holds a peer of the region"),
        org.assertj.core.groups.Tuple.tuple(3L, "exclude", "already holds a peer of the region"),
        org.assertj.core.groups.Tuple.tuple(4L, "store-state", "store is Offline"),
        org.assertj.core.groups.Tuple.tuple(5L, "low-space", "low space: available 1073741824"
            + " of capacity 1099511627776 bytes (low-space-ratio 0.8)"),
        org.assertj.core.groups.Tuple.tuple(6L, "busy", "store reports busy"));
    assertThat(replica.detail()).contains("temporarily");
  }

  @Test
  void aDryRunShowsTheRunningOperatorAndWhatEachCheckerSaw() {
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    ops.addWaiting(chain.check(r, CheckRequest.forPatrol()).toArray(new Operator[0]));
    Diagnosis d = chain.diagnose(r);
    assertThat(d.runningOperator()).isNotNull();
    assertThat(d.runningOperator().desc()).isEqualTo("make-up-replica");
    assertThat(d.reports()).extracting(CheckerReport::checker)
        .containsExactly("joint-state", "split", "learner", "replica");
    CheckerReport replica = d.reports().get(3);
    assertThat(replica.reason()).isEqualTo(Reason.BUILT);
    assertThat(replica.saw()).containsExactly("region has 2 peers, max-replicas is 3");
    assertThat(replica.operators()).singleElement()
        .satisfies(op -> assertThat(op.desc()).isEqualTo("make-up-replica"));
  }

  @Test
  void aPatrolRequestCollectsNoReportsButKnowsWhatIsMissing() {
    fc.addStores(1, 2);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    CheckRequest req = CheckRequest.forPatrol();
    assertThat(chain.check(r, req)).isEmpty();
    assertThat(req.reports()).isEmpty();
    assertThat(req.missingReplicas()).isEqualTo(1);
    assertThat(req.retryLater()).isFalse(); // no store at all: not a temporary state
    assertThat(events).contains("replica_checker/check", "replica_checker/no-target-store");
  }

  @Test
  void aTemporarilyUnavailableTargetAsksForARetry() {
    fc.addStores(1, 2, 3);
    fc.setStoreDisconnected(3);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    CheckRequest req = CheckRequest.forPatrol();
    assertThat(chain.check(r, req)).isEmpty();
    assertThat(req.retryLater()).isTrue();
  }

  @Test
  void aStoreWithoutAddPeerTokensIsPassedOverAsTemporarilyUnavailable() {
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    fc.addPeerLimited.add(3L);
    assertThat(chain.check(r, CheckRequest.forPatrol())).singleElement()
        .satisfies(op -> assertThat(op.toString()).contains("store 4"));

    fc.addPeerLimited.add(4L); // every candidate out of tokens: no operator built, retried soon
    CheckRequest req = CheckRequest.forPatrol();
    assertThat(chain.check(r, req)).isEmpty();
    assertThat(req.retryLater()).isTrue();
    Diagnosis d = chain.diagnose(r);
    assertThat(d.reports()).filteredOn(c -> c.checker().equals("replica")).singleElement()
        .satisfies(c -> {
          assertThat(c.reason()).isEqualTo(Reason.NO_TARGET_STORE);
          assertThat(c.rejectedStores()).extracting(StoreRejection::storeId,
                  StoreRejection::filter)
              .contains(org.assertj.core.groups.Tuple.tuple(3L, "exceed-add-limit"),
                  org.assertj.core.groups.Tuple.tuple(4L, "exceed-add-limit"));
        });

    fc.addPeerLimited.clear();
    assertThat(chain.check(r, CheckRequest.forPatrol())).hasSize(1);
  }

  @Test
  void theScheduleLimitDropsTheOperatorAndAsksForARetry() {
    fc.addStores(1, 2, 3);
    fc.config(b -> b.replicaScheduleLimit(0));
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    CheckRequest req = CheckRequest.forPatrol();
    assertThat(chain.check(r, req)).isEmpty();
    assertThat(req.retryLater()).isTrue();
    assertThat(events).contains("replica_checker/operator-limit");
  }

  @Test
  void aDryRunChangesNothing() {
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2);
    Diagnosis d = chain.diagnose(r);
    assertThat(d.operators()).hasSize(1);
    assertThat(ops.added()).isEmpty();
    assertThat(ops.get(1)).isEmpty();
  }

  @Test
  void mergeReasonsAreWordedInADryRunOnly() {
    fc.addStores(1, 2, 3);
    RegionInfo r = fc.addRegion(1, "1* 2 3", 1, 100);
    fc.addRegion(2, "1* 2 3", 1, 100);
    CheckerReport merge = chain.diagnose(r).reports().stream()
        .filter(x -> x.checker().equals("merge")).findFirst().orElseThrow();
    assertThat(merge.reason()).isEqualTo(Reason.NOT_READY);
    assertThat(merge.detail()).isEqualTo("within split-merge-interval PT1H of the start");
    fc.config(b -> b.mergeScheduleLimit(0));
    merge = chain.diagnose(r).reports().stream()
        .filter(x -> x.checker().equals("merge")).findFirst().orElseThrow();
    assertThat(merge.reason()).isEqualTo(Reason.SCHEDULE_LIMIT);
    assertThat(merge.detail()).isEqualTo("merge-schedule-limit 0 reached (0 running)");
  }
}
