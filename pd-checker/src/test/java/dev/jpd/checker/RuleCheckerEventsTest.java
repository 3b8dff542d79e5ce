package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.checker.patrol.CheckerMetrics;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MemoryMetaStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rule checker's events ({@code pd_checker_event_count{type="rule_checker", name}}, PD's
 * names) reach the chain's sink from patrol checks, not from dry runs; they also show which path
 * a "no operator" outcome took.
 */
@Timeout(30)
class RuleCheckerEventsTest {
  private final FakeCluster fc = new FakeCluster();
  private final List<String> events = new ArrayList<>();

  private CheckerChain chain(CheckerEvents sink, Rule... extra) {
    fc.config(b -> b.enablePlacementRules(true));
    CheckerConfig cfg = fc.config();
    RuleManager rm = new RuleManager(new MemoryMetaStore(), 7, new RuleManager.Replication(
        cfg.maxReplicas(), cfg.locationLabels(), cfg.isolationLevel()), () -> 1000);
    for (Rule r : extra) {
      rm.setRule(r);
    }
    return CheckerChain.standard(fc.view, new RecordingOperators(), sink,
        RuleChecker.of(fc.view, rm));
  }

  /** The rule checker's own events of one patrol check (the chain's check/outcome ones left out). */
  private List<String> ruleEvents(CheckerChain chain, RegionInfo region) {
    events.clear();
    chain.check(region, CheckRequest.forPatrol());
    Set<String> chainOwn = new HashSet<>(Set.of("check", "paused", "operator-limit",
        "new-operator"));
    for (Reason reason : Reason.values()) {
      chainOwn.add(reason.text());
    }
    return events.stream().filter(e -> e.startsWith("rule_checker/"))
        .map(e -> e.substring("rule_checker/".length())).filter(e -> !chainOwn.contains(e))
        .toList();
  }

  @Test
  void removeOrphanPeerCountsInTheMetricAndDryRunsDoNot() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CheckerMetrics metrics = new CheckerMetrics(registry);
    CheckerChain chain = chain(metrics.events());
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addLeaderRegion(1, 1, 2, 3, 4);
    chain.diagnose(r);
    assertThat(registry.find("pd_checker_event_count").tag("type", "rule_checker")
        .tag("name", "remove-orphan-peer").counter()).as("a dry run counts nothing").isNull();
    chain.check(r, CheckRequest.forPatrol());
    chain.check(r, CheckRequest.forPatrol());
    Counter c = registry.get("pd_checker_event_count").tag("type", "rule_checker")
        .tag("name", "remove-orphan-peer").counter();
    assertThat(c.count()).isEqualTo(2.0);
  }

  @Test
  void aKeptOrphanCountsSkip() {
    CheckerChain chain = chain((type, name) -> events.add(type + "/" + name));
    fc.addStores(1, 2, 3, 4);
    RegionInfo r = fc.addRegion(1, "1* 2 3~ 4", 10, 10_000);
    assertThat(ruleEvents(chain, r)).containsExactly("skip-remove-orphan-peer");
  }

  @Test
  void anOrphanThatWouldIsolateWorseIsNoFit() {
    fc.config(b -> b.locationLabels(List.of("zone")));
    CheckerChain chain = chain((type, name) -> events.add(type + "/" + name));
    fc.addStore(1, "zone=z1").addStore(2, "zone=z2").addStore(3, "zone=z3")
        .addStore(4, "zone=z1").setStoreDisconnected(3);
    RegionInfo r = fc.addRegion(1, "1* 2 3 L4", 10, 10_000);
    assertThat(ruleEvents(chain, r))
        .containsExactly("replace-orphan-peer-no-fit", "skip-remove-orphan-peer");
  }

  @Test
  void swapWithNowhereToGoTriesThenFindsNoStore() {
    Rule ssd = new Rule("pd", "ssd", 1, false, "", "", "learner", false, 1,
        List.of(new LabelConstraint("disk", "in", List.of("ssd"))), List.of(), "", 0, 0);
    CheckerChain chain = chain((type, name) -> events.add(type + "/" + name), ssd);
    fc.addStores(1, 2).addStore(4, "disk=ssd");
    RegionInfo r = fc.addLeaderRegion(1, 1, 2, 4);
    assertThat(ruleEvents(chain, r)).containsExactly("add-rule-peer", "no-store-add",
        "no-store-then-try-replace", "no-store-replace");
  }

  @Test
  void followerRuleLeaderWithNoSuccessorCountsNoNewLeader() {
    Rule z1 = new Rule("pd", "default", 1, false, "", "", "voter", false, 1,
        List.of(new LabelConstraint("zone", "in", List.of("z1"))), List.of(), "", 0, 0);
    Rule fol = new Rule("pd", "fol", 1, false, "", "", "follower", false, 2,
        List.of(new LabelConstraint("zone", "in", List.of("z2"))), List.of(), "", 0, 0);
    CheckerChain chain = chain((type, name) -> events.add(type + "/" + name), z1, fol);
    fc.addStore(1, "zone=z1").addStore(2, "zone=z2").addStore(3, "zone=z2");
    RegionInfo r = fc.addRegion(1, "2* 1 3", 10, 10_000);
    assertThat(ruleEvents(chain, r)).containsExactly("fix-follower-role");
    fc.setStoreDisconnected(1);
    assertThat(ruleEvents(chain, r)).containsExactly("fix-follower-role", "no-new-leader");
  }

  @Test
  void noLeaderAndReplaceDownAreCounted() {
    CheckerChain chain = chain((type, name) -> events.add(type + "/" + name));
    fc.addStores(1, 2, 3, 4);
    assertThat(ruleEvents(chain, fc.addRegion(1, "1 2 3", 10, 10_000)))
        .containsExactly("region-no-leader");
    fc.setStoreDown(3);
    assertThat(ruleEvents(chain, fc.addRegion(2, "1* 2 3!", 10, 10_000)))
        .containsExactly("replace-down");
  }
}
