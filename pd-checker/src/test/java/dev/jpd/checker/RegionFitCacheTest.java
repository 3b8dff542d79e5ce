package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class RegionFitCacheTest {
  /** Four stores in zones z1..z3 (store 4 shares z1), region 1 on stores 1 (leader), 2, 3. */
  private static final class Fixture {
    final FakeCluster fc = new FakeCluster();
    final RuleManager rules;
    final RegionFitCache cache;

    Fixture() {
      fc.addStore(1, "zone=z1").addStore(2, "zone=z2").addStore(3, "zone=z3")
          .addStore(4, "zone=z1");
      fc.config(b -> b.locationLabels(List.of("zone")));
      rules = new RuleManager(new MemoryMetaStore(), 1,
          new RuleManager.Replication(3, List.of("zone"), ""), () -> 0);
      fc.addRegion(1, "1* 2 3", 10, 1000);
      cache = new RegionFitCache(fc.view);
    }

    RegionFitCache.CachedFit cached() {
      RegionInfo r = fc.region(1);
      return cache.fit(r, rules.rulesForRange(r.startKey().toByteArray(),
          r.endKey().toByteArray()));
    }

    /** The fit computed from scratch, as the cache must answer. */
    RegionFit fresh() {
      RegionInfo r = fc.region(1);
      List<FitPeer> peers = new ArrayList<>();
      Map<Long, Map<String, String>> labels = new HashMap<>();
      for (Metapb.Peer p : r.peers()) {
        peers.add(new FitPeer(p.getId(), p.getStoreId(), p.getRole() == Metapb.PeerRole.Learner,
            p.getId() == r.leader().getId()));
        StoreInfo s = fc.store(p.getStoreId());
        if (s != null) {
          labels.put(s.id(), StoreFilters.labelsOf(s));
        }
      }
      return RegionFit.fit(peers, labels, rules.rulesForRange(r.startKey().toByteArray(),
          r.endKey().toByteArray()));
    }
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        // what changes between two checks; whether the second check is a cache hit
        change("nothing", f -> { }, true),
        change("a new region snapshot, same peers (size, keys)",
            f -> f.fc.addRegion(1, "1* 2 3", 20, 2000), true),
        change("a store heartbeat (stats only)", f -> f.fc.setStoreSilent(2, Duration.ZERO),
            true),
        change("a store turning Down (health is not a fit input)", f -> f.fc.setStoreDown(2),
            true),
        change("a store's labels rewritten to the same values",
            f -> f.fc.setStoreLabels(2, "zone=z2"), true),
        change("a store of another region gets a heartbeat",
            f -> f.fc.setStoreSilent(4, Duration.ZERO), true),
        // one labels version for all stores: relabelling any store refits every region once
        change("a store of another region is relabelled",
            f -> f.fc.setStoreLabels(4, "zone=z9"), false),
        change("a store is added", f -> f.fc.addStore(5, "zone=z2"), false),
        change("leader moves", f -> f.fc.addRegion(1, "1 2* 3", 10, 1000), false),
        change("a peer moves to another store", f -> f.fc.addRegion(1, "1* 2 4", 10, 1000),
            false),
        change("a peer becomes a learner", f -> f.fc.addRegion(1, "1* 2 L3", 10, 1000), false),
        change("a peer is added", f -> f.fc.addRegion(1, "1* 2 3 4", 10, 1000), false),
        change("a peer is removed", f -> f.fc.addRegion(1, "1* 2", 10, 1000), false),
        change("a peer store's labels change", f -> f.fc.setStoreLabels(3, "zone=z1"), false),
        change("a peer store goes away", f -> f.fc.stores.remove(3), false),
        change("the rules change",
            f -> f.rules.setRule(Rule.of("pd", "learners", "learner", 1, "", "")), false),
        change("max-replicas changes the default rule", f -> f.rules.updateReplication(
            new RuleManager.Replication(3, List.of("zone"), ""),
            new RuleManager.Replication(5, List.of("zone"), "")), false));
  }

  private static Arguments change(String name, Consumer<Fixture> apply, boolean hit) {
    return Arguments.of(name, apply, hit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void secondCheckHitsOnlyWhenNoFitInputChanged(String name, Consumer<Fixture> apply,
      boolean hit) {
    Fixture f = new Fixture();
    RegionFitCache.CachedFit first = f.cached();
    assertThat(f.cache.misses()).isEqualTo(1);

    apply.accept(f);
    RegionFitCache.CachedFit cached = f.cached();
    RegionFit second = f.cache.fitOf(cached, f.fc.region(1));

    assertThat(f.cache.misses()).as(name).isEqualTo(hit ? 1 : 2);
    if (hit) {
      assertThat(cached).isSameAs(first);
    }
    assertThat(second).as(name + ": the answer is the fit of the current inputs")
        .isEqualTo(f.fresh());
    assertThat(cached.apartAtTopLevel()).as(name + ": isolation of the current stores")
        .isEqualTo(SettledFit.apartAtTopLevel(f.fresh(), f.fc.view));
  }

  @Test
  void keepsTheFitOnlyWhenUnsatisfiedAndRefitsTheSameAnswerOtherwise() {
    Fixture f = new Fixture();
    RegionFitCache.CachedFit settled = f.cached();
    assertThat(settled.satisfied()).isTrue();
    assertThat(settled.fit()).as("a satisfied fit is not kept").isNull();
    assertThat(f.cache.fitOf(settled, f.fc.region(1))).isEqualTo(f.fresh());

    f.fc.addRegion(1, "1* 2", 10, 1000); // a voter short of pd/default's 3
    RegionFitCache.CachedFit missing = f.cached();
    assertThat(missing.satisfied()).isFalse();
    assertThat(missing.fit()).as("an unsatisfied fit is kept").isNotNull();
    assertThat(f.cache.fitOf(missing, f.fc.region(1))).isSameAs(missing.fit())
        .isEqualTo(f.fresh());
  }

  @Test
  void equalPeersInOtherArraysHitAndTheEntryTakesTheNewArrays() {
    Fixture f = new Fixture();
    RegionFitCache.CachedFit first = f.cached();
    RegionInfo rebuilt = FakeCluster.region(1, "1* 2 3", 10, 1000); // not through the cache
    assertThat(rebuilt.peersIdentity()).isNotSameAs(f.fc.region(1).peersIdentity());
    List<Rule> rules = f.rules.rulesForRange(rebuilt.startKey().toByteArray(),
        rebuilt.endKey().toByteArray());

    RegionFitCache.CachedFit second = f.cache.fit(rebuilt, rules);
    assertThat(f.cache.misses()).as("equal peers: a hit").isEqualTo(1);
    assertThat(second.peersIdentity()).isSameAs(rebuilt.peersIdentity());
    assertThat(second.satisfied()).isEqualTo(first.satisfied());
    assertThat(f.cache.fit(rebuilt, rules)).as("now by identity").isSameAs(second);
    assertThat(f.cache.misses()).isEqualTo(1);

    RegionInfo moved = FakeCluster.region(1, "1* 2 4", 10, 1000);
    f.cache.fit(moved, rules);
    assertThat(f.cache.misses()).as("other peers in other arrays").isEqualTo(2);
  }

  @Test
  void dropsEverythingOncePastTwiceTheRegionCount() {
    Fixture f = new Fixture();
    for (long id = 2; id <= 3; id++) {
      f.fc.addRegion(id, "1* 2 3", 10, 1000);
    }
    // three regions in the cache, then more entries than 2 × 3 regions
    for (long id = 1; id <= 7; id++) {
      RegionInfo r = f.fc.addRegion(id, "1* 2 3", 10, 1000);
      f.cache.fit(r, f.rules.rulesForRange(r.startKey().toByteArray(),
          r.endKey().toByteArray()));
    }
    assertThat(f.fc.view.regionCount()).isEqualTo(7);
    assertThat(f.cache.size()).isEqualTo(7);

    for (long id = 4; id <= 7; id++) {
      f.fc.regions.removeRegion(id);
    }
    // 3 regions now: the cache holds 7 > 6 entries, so the next miss starts afresh
    RegionInfo r = f.fc.addRegion(1, "1* 2 4", 10, 1000);
    f.cache.fit(r, f.rules.rulesForRange(r.startKey().toByteArray(),
        r.endKey().toByteArray()));
    assertThat(f.cache.size()).isEqualTo(1);
  }
}
