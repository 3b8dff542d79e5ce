package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MemoryMetaStore;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class SettledFitTest {
  /** Stores 1..3 in zones z1..z3, store 4 in z1, store 5 unlabelled; pd/default wants 3 voters. */
  private static FakeCluster cluster() {
    FakeCluster fc = new FakeCluster();
    fc.addStore(1, "zone=z1").addStore(2, "zone=z2").addStore(3, "zone=z3")
        .addStore(4, "zone=z1").addStore(5);
    fc.config(b -> b.locationLabels(List.of("zone")));
    return fc;
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        // name, peers, change to the cluster, settled
        Arguments.of("three zones, all Up", "1* 2 3", none(), true),
        Arguments.of("a peer reported down", "1* 2! 3", none(), false),
        Arguments.of("a pending peer", "1* 2 3~", none(), false),
        Arguments.of("a peer store is Down", "1* 2 3", on(fc -> fc.setStoreDown(3)), false),
        Arguments.of("a peer store is Offline", "1* 2 3", on(fc -> fc.setStoreOffline(3)), false),
        Arguments.of("a peer store is unknown", "1* 2 3", on(fc -> fc.stores.remove(3)), false),
        Arguments.of("a peer store is disconnected only", "1* 2 3",
            on(fc -> fc.setStoreDisconnected(3)), true),
        Arguments.of("a replica missing", "1* 2", none(), false),
        Arguments.of("an orphan peer", "1* 2 3 4", none(), false),
        Arguments.of("a learner where a voter belongs", "1* 2 L3", none(), false),
        Arguments.of("two peers share a zone", "1* 2 4", none(), false),
        Arguments.of("two peers share a zone, location replacement off", "1* 2 4",
            on(fc -> fc.config(b -> b.enableLocationReplacement(false))), true),
        Arguments.of("an unlabelled peer store could be anywhere", "1* 2 5", none(), false),
        Arguments.of("zone values differ only in case", "1* 2 3",
            on(fc -> fc.setStoreLabels(3, "zone=Z2")), false));
  }

  private static Consumer<FakeCluster> none() {
    return fc -> { };
  }

  private static Consumer<FakeCluster> on(Consumer<FakeCluster> c) {
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void settledOnlyWhenNoFixStepCouldAct(String name, String peers, Consumer<FakeCluster> change,
      boolean settled) {
    FakeCluster fc = cluster();
    RegionInfo r = fc.addRegion(1, peers, 10, 1000);
    change.accept(fc);
    RegionFitCache.CachedFit fit = new RegionFitCache(fc.view).fit(r,
        rules(fc).rulesForRange(r.startKey().toByteArray(), r.endKey().toByteArray()));
    assertThat(SettledFit.settled(fit, r, fc.view)).as(name).isEqualTo(settled);
  }

  @Test
  void aSettledRegionIsDiagnosedAsNeedingNothing() {
    FakeCluster fc = cluster();
    RegionInfo r = fc.addRegion(1, "1* 2 3", 10, 1000);
    RuleChecker checker = new RuleChecker(fc.view, rules(fc));
    CheckRequest req = CheckRequest.forDryRun();
    req.begin("rule");
    assertThat(checker.check(r, req)).isEmpty();
    req.finish();
    assertThat(req.reports()).singleElement().satisfies(rep -> {
      assertThat(rep.reason()).isEqualTo(Reason.NOTHING_TO_DO);
      assertThat(rep.detail()).contains("every rule is satisfied");
    });
  }

  @Test
  void anUnsettledRegionStillGetsItsFix() {
    FakeCluster fc = cluster();
    RegionInfo r = fc.addRegion(1, "2* 1 4", 10, 1000); // 1 and 4 share zone z1
    RuleChecker checker = new RuleChecker(fc.view, rules(fc));
    assertThat(checker.check(r, CheckRequest.forPatrol())).singleElement()
        .satisfies(op -> assertThat(op.desc()).isEqualTo("move-to-better-location"));
  }

  private static RuleManager rules(FakeCluster fc) {
    return new RuleManager(new MemoryMetaStore(), 1,
        new RuleManager.Replication(3, fc.config().locationLabels(), ""), () -> 0);
  }
}
