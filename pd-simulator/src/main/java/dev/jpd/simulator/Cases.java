package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The case table. Each case names its setup, events, success check, simulated time bound and the
 * PD config it needs. The cases the checkers can pass run for real; those that need the
 * schedulers are pending with the issue they wait for. Flip {@code pending} to null the day that
 * issue lands; the tests then run the case for real.
 */
final class Cases {
  static final String NEEDS_SCHEDULERS = "needs the schedulers issue";

  private Cases() {}

  static Map<String, SimCase> all() {
    Map<String, SimCase> m = new LinkedHashMap<>();
    for (SimCase c : List.of(regionSplit(), makeupDownReplicas(), deleteNodes(), regionMerge(),
        addNodes(), balanceLeader(), hotRead(), hotWrite(), labelIsolation(),
        placementRuleLearner())) {
      m.put(c.name(), c);
    }
    return m;
  }

  static final int SPLIT_TARGET = 32;

  /**
   * Writes grow every region until it passes the split size; each asks the PD for ids
   * (AskBatchSplit), splits, reports the pieces (ReportBatchSplit) and heartbeats them. Success:
   * at least {@link #SPLIT_TARGET} regions, and the PD's regions are exactly the stores' (ids,
   * ranges, epochs, leaders), contiguous over the key space. The bootstrap region starts with one
   * peer; the replica checker adds the other two while it grows and splits.
   */
  static SimCase regionSplit() {
    return new SimCase("region-split",
        "1 region grows by writes and splits until " + SPLIT_TARGET + " regions; PD must know every piece",
        null,
        SimConfig.defaults().withSplit(64 * SimConfig.MIB, 640_000),
        new SimCase.Layout(3, 1, SimConfig.MIB, 10_000, SimCase.roundRobin(1), SimCase.noLabels()),
        (d, tick) -> {
          if (d.cluster.sortedRegions().size() < SPLIT_TARGET) {
            for (SimRegion r : d.cluster.sortedRegions()) {
              d.cluster.write(r, 4 * SimConfig.MIB, 40_000);
            }
          }
        },
        d -> {
          int n = d.cluster.sortedRegions().size();
          return Checks.verdict(n + " regions, PD agrees on every one",
              n >= SPLIT_TARGET ? null : "only " + n + " regions so far, want " + SPLIT_TARGET,
              Checks.pdMatches(d));
        },
        600_000);
  }

  /**
   * Store 1 of 4 dies; the PD must re-create its replicas on the spare store. The PD's {@code
   * max-store-down-time} is one simulated minute, so the repair starts a minute after the stop.
   */
  static SimCase makeupDownReplicas() {
    return new SimCase("makeup-down-replicas",
        "4 stores, 40 regions x 3 replicas on the first 3; store 1 stops at tick 10",
        null,
        SimConfig.defaults(),
        new SimCase.Layout(4, 40, 8 * SimConfig.MIB, 80_000, (i, n) -> List.of(i % 3, (i + 1) % 3, (i + 2) % 3),
            SimCase.noLabels()),
        (d, tick) -> {
          if (tick == 10) {
            d.stopStore(d.cluster.stores.firstKey());
          }
        },
        d -> Checks.verdict("every region has 3 live voters again",
            d.tick <= 10 ? "store not stopped yet" : null,
            Checks.fullyReplicated(d, 3), Checks.pdMatches(d)),
        3_600_000,
        "{\"max-store-down-time\": \"1m\"}");
  }

  /**
   * Two of 6 stores are taken offline through the PD's HTTP API ({@code DELETE /store/{id}}), as
   * an operator scaling in does. The PD must move their replicas to the others and mark them
   * Tombstone; a store the PD calls Tombstone stops, as TiKV does.
   */
  static SimCase deleteNodes() {
    List<Long> deleted = new ArrayList<>();
    return new SimCase("delete-nodes",
        "6 stores, 60 regions x 3 replicas; a store is deleted at tick 10 and another at tick 100",
        null,
        SimConfig.defaults(),
        new SimCase.Layout(6, 60, 8 * SimConfig.MIB, 80_000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> {
          if (tick == 10 || tick == 100) {
            long id = d.cluster.stores.lastKey() - (tick == 10 ? 0 : 1);
            d.deleteStore(id);
            deleted.add(id);
          }
          if (tick % 10 == 0) {
            for (long id : deleted) {
              if (d.cluster.storeUp(id) && Checks.tombstone(d, id)) {
                d.stopStore(id);
              }
            }
          }
        },
        d -> Checks.verdict("both deleted stores are Tombstone, every region has 3 replicas",
            deleted.size() < 2 ? "stores not deleted yet" : null,
            deleted.stream().allMatch(id -> Checks.tombstone(d, id)) ? null
                : "deleted stores " + deleted + " not all Tombstone yet",
            Checks.fullyReplicated(d, 3), Checks.pdMatches(d)),
        3_600_000);
  }

  /**
   * Many small regions must merge: at most a quarter of them may remain. The PD's {@code
   * split-merge-interval} is one second, so merging may start at once.
   */
  static SimCase regionMerge() {
    return new SimCase("region-merge",
        "3 stores, 100 regions of 1 MiB x 3 replicas; the merge checker must merge them",
        null,
        SimConfig.defaults(),
        new SimCase.Layout(3, 100, SimConfig.MIB, 10_000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> { },
        d -> {
          int n = d.cluster.sortedRegions().size();
          return Checks.verdict(n + " regions left",
              n <= 25 ? null : n + " regions, want at most 25", Checks.pdMatches(d));
        },
        3_600_000,
        "{\"split-merge-interval\": \"1s\"}");
  }

  /** Three empty stores join three full ones; region peers must even out. */
  static SimCase addNodes() {
    return new SimCase("add-nodes",
        "3 stores with 60 regions x 3 replicas; 3 empty stores join at tick 5",
        NEEDS_SCHEDULERS + " (balance-region)",
        SimConfig.defaults(),
        new SimCase.Layout(3, 60, 8 * SimConfig.MIB, 80_000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> {
          if (tick == 5) {
            for (int i = 0; i < 3; i++) {
              d.addStore(List.of());
            }
          }
        },
        d -> Checks.verdict("region peers even across 6 stores",
            d.cluster.stores.size() < 6 ? "stores not added yet" : null,
            Checks.uniform(Checks.perLiveStore(d, d.cluster::regionCount), 0.1, "region peers"),
            Checks.pdMatches(d)),
        3_600_000);
  }

  /** Every leader starts on the last store; leaders must spread within 5% of the mean. */
  static SimCase balanceLeader() {
    return new SimCase("balance-leader",
        "3 stores, 60 regions x 3 replicas, every leader on the last store",
        NEEDS_SCHEDULERS + " (balance-leader)",
        SimConfig.defaults(),
        new SimCase.Layout(3, 60, 8 * SimConfig.MIB, 80_000, (i, n) -> List.of(2, 0, 1), SimCase.noLabels()),
        (d, tick) -> { },
        d -> Checks.verdict("leaders even",
            Checks.uniform(Checks.perLiveStore(d, d.cluster::leaderCount), 0.05, "leaders"),
            Checks.pdMatches(d)),
        3_600_000);
  }

  /** Ten hot-read regions all led by store 1; their leaders must spread (diff < 2). */
  static SimCase hotRead() {
    Set<Long> hot = new HashSet<>();
    return new SimCase("hot-read",
        "5 stores, 50 regions x 3; the 10 regions led by the first store get 100 MB/s of reads",
        NEEDS_SCHEDULERS + " (hot-region)",
        SimConfig.defaults(),
        new SimCase.Layout(5, 50, 8 * SimConfig.MIB, 80_000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> hotFlow(d, hot, false),
        d -> Checks.verdict("hot read leaders spread", Checks.hotLeadersSpread(d, hot, 1, false)),
        3_600_000);
  }

  /** Ten hot-write regions on store 1; hot leaders and hot peers must spread (diff <= 2). */
  static SimCase hotWrite() {
    Set<Long> hot = new HashSet<>();
    return new SimCase("hot-write",
        "5 stores, 50 regions x 3; the 10 regions led by the first store get 8 MB/s of writes",
        NEEDS_SCHEDULERS + " (hot-region)",
        SimConfig.defaults().withSplit(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
        new SimCase.Layout(5, 50, 8 * SimConfig.MIB, 80_000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> hotFlow(d, hot, true),
        d -> Checks.verdict("hot write leaders and peers spread", Checks.hotLeadersSpread(d, hot, 2, true)),
        3_600_000);
  }

  private static void hotFlow(Driver d, Set<Long> hot, boolean write) {
    if (hot.isEmpty()) {
      long first = d.cluster.stores.firstKey();
      for (SimRegion r : d.cluster.sortedRegions()) {
        if (r.leader().getStoreId() == first) {
          hot.add(r.id());
        }
      }
    }
    long perTick = d.cluster.config.tickMillis() * (write ? 8 : 100) * SimConfig.MIB / 1000;
    for (long id : hot) {
      SimRegion r = d.cluster.regions.get(id);
      if (r != null && !r.removed) {
        if (write) {
          d.cluster.write(r, perTick, perTick / 100);
        } else {
          d.cluster.read(r, perTick, perTick / 100);
        }
      }
    }
  }

  /**
   * Regions start with two peers in one zone; with {@code location-labels = zone,host} the
   * replica checker's move-to-better-location must separate them.
   */
  static SimCase labelIsolation() {
    return new SimCase("label-isolation",
        "6 stores in zones z1,z1,z2,z2,z3,z3; 30 regions x 3 start with two peers in one zone",
        null,
        SimConfig.defaults(),
        new SimCase.Layout(6, 30, 8 * SimConfig.MIB, 80_000, (i, n) -> List.of(i % 2, 2 + i % 2, 3 - i % 2),
            i -> List.of(label("zone", "z" + (1 + i / 2)), label("host", "h" + (i + 1)))),
        (d, tick) -> { },
        d -> Checks.verdict("every region's peers in 3 zones", Checks.isolated(d, "zone"),
            Checks.fullyReplicated(d, 3), Checks.pdMatches(d)),
        3_600_000,
        "{\"location-labels\": \"zone,host\"}");
  }

  /**
   * A placement rule written through the PD's HTTP API at tick 1 ({@code POST /config/rule})
   * asks for one learner in zone z2, where no region has a peer; the rule checker must add one to
   * every region, leaving the three voters in z1 alone.
   */
  static SimCase placementRuleLearner() {
    boolean[] ruleSet = {false};
    return new SimCase("placement-rule-learner",
        "5 stores in zones z1,z1,z1,z2,z2; 30 regions x 3 in z1; a rule asks for a learner in z2",
        null,
        SimConfig.defaults(),
        new SimCase.Layout(5, 30, 8 * SimConfig.MIB, 80_000,
            (i, n) -> List.of(i % 3, (i + 1) % 3, (i + 2) % 3),
            i -> List.of(label("zone", i < 3 ? "z1" : "z2"), label("host", "h" + (i + 1)))),
        (d, tick) -> {
          if (tick == 1) {
            d.setRule(PdHttp.rule("pd", "z2-learner", "learner", 1, "zone", "z2"));
            ruleSet[0] = true;
          }
        },
        d -> Checks.verdict("every region has a learner in z2 and 3 voters",
            ruleSet[0] ? null : "rule not set yet",
            Checks.learnerIn(d, "zone", "z2"), Checks.votersIn(d, 3), Checks.pdMatches(d)),
        3_600_000);
  }

  static Metapb.StoreLabel label(String k, String v) {
    return Metapb.StoreLabel.newBuilder().setKey(k).setValue(v).build();
  }

  static List<String> listing() {
    List<String> out = new ArrayList<>();
    for (SimCase c : all().values()) {
      out.add(String.format("%-22s %-8s %s%s", c.name(), c.ready() ? "ready" : "pending", c.summary(),
          c.ready() ? "" : "\n" + " ".repeat(32) + "(" + c.pending() + ")"));
    }
    return out;
  }
}
