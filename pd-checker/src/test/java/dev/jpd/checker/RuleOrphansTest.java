package dev.jpd.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.checker.RuleOrphans.Action;
import dev.jpd.checker.RuleOrphans.Decision;
import dev.jpd.checker.RuleOrphans.Health;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.RegionFit.FitPeer;
import dev.jpd.core.placement.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RuleOrphans#decide} as a table: peers ({@code 1*} leader, {@code L4} learner; peer id =
 * 100 + store), rules, which peers are down / pending and which stores are disconnected (store
 * ids) → action, store of the removed peer, orphan store that changes role, events.
 */
@Timeout(30)
class RuleOrphansTest {
  /** Stores 1..4 in zone z1, 5..6 in zone z2. */
  private static final Map<Long, Map<String, String>> LABELS = new HashMap<>();

  static {
    for (long s = 1; s <= 6; s++) {
      LABELS.put(s, Map.of("zone", s <= 4 ? "z1" : "z2"));
    }
  }

  private static final Rule THREE_VOTERS = rule("default", "voter", 3, null);
  private static final Rule ONE_LEARNER = rule("lr", "learner", 1, null);
  private static final Rule Z1_VOTERS = rule("default", "voter", 3, "z1");
  private static final Rule Z3_LEARNER = rule("lr", "learner", 1, "z3");

  private static Rule rule(String id, String role, int count, String zone) {
    List<LabelConstraint> cs = zone == null ? List.of()
        : List.of(new LabelConstraint("zone", "in", List.of(zone)));
    return new Rule("pd", id, 0, false, "", "", role, false, count, cs, List.of(), "", 0, 0);
  }

  static Stream<Arguments> table() {
    List<Rule> dflt = List.of(THREE_VOTERS);
    return Stream.of(
        row("no orphan", "1* 2 3", dflt, "", "", "", Action.NONE, 0, 0, ""),
        row("rules satisfied and healthy: the first orphan goes", "1* 2 3 4 5", dflt, "", "",
            "", Action.REMOVE_ORPHAN, 4, 0, "remove-orphan-peer"),
        row("a learner orphan replaces a voter on a disconnected store", "1* 2 3 L4", dflt, "",
            "", "3", Action.PROMOTE_ORPHAN, 3, 4, "replace-orphan-peer"),
        row("a voter orphan replaces a learner on a disconnected store", "1* 2 3 L4 5",
            List.of(THREE_VOTERS, ONE_LEARNER), "", "", "4", Action.DEMOTE_ORPHAN, 4, 5,
            "replace-orphan-peer"),
        row("same role: the down peer goes, the orphan fits next round", "1* 2 3 4", dflt, "3",
            "", "3", Action.REMOVE_REPLACED, 3, 0, "replace-orphan-peer"),
        row("a disconnected orphan replaces nothing", "1* 2 3 L4", dflt, "", "", "3 4",
            Action.NONE, 0, 0, "skip-remove-orphan-peer"),
        row("a down-reported peer on a live store is not replaced", "1* 2 3 L4", dflt, "3", "",
            "", Action.NONE, 0, 0, "skip-remove-orphan-peer"),
        row("a pending rule peer keeps the only orphan", "1* 2 3 4", dflt, "", "3", "",
            Action.NONE, 0, 0, "skip-remove-orphan-peer"),
        row("an unsatisfied rule keeps the only orphan", "1* 2 L3 5", List.of(Z1_VOTERS), "",
            "", "", Action.NONE, 0, 0, "skip-remove-orphan-peer"),
        row("two orphans: the pending one goes", "1* 2 3~ 4 5~", dflt, "", "3 5", "",
            Action.REMOVE_UNHEALTHY_ORPHAN, 5, 0, "remove-orphan-peer"),
        row("two healthy orphans: the second goes", "1* 2 3 4 5", dflt, "", "3", "",
            Action.REMOVE_ORPHAN, 5, 0, "remove-orphan-peer"),
        row("two healthy orphans: a disconnected one goes first", "1* 2 3 4 5", dflt, "", "3",
            "4", Action.REMOVE_ORPHAN, 4, 0, "remove-orphan-peer"),
        row("two healthy orphans but no extra peer: both stay", "1* 2 5 6",
            List.of(Z1_VOTERS, Z3_LEARNER), "", "", "", Action.NONE, 0, 0,
            "skip-remove-orphan-peer"));
  }

  private static Arguments row(String name, String peers, List<Rule> rules, String down,
      String pending, String disconnected, Action action, long removeStore, long orphanStore,
      String events) {
    return Arguments.of(name, peers, rules, down, pending, disconnected, action, removeStore,
        orphanStore, events);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decide(String name, String peers, List<Rule> rules, String down, String pending,
      String disconnected, Action action, long removeStore, long orphanStore, String events) {
    List<FitPeer> fitPeers = new ArrayList<>();
    for (String tok : peers.split("\\s+")) {
      long store = Long.parseLong(tok.replaceAll("[^0-9]", ""));
      fitPeers.add(new FitPeer(100 + store, store, tok.startsWith("L"), tok.contains("*")));
    }
    RegionFit fit = RegionFit.fit(fitPeers, LABELS, rules);
    Health health = new Health(ids(down, 100), ids(pending, 100), ids(disconnected, 0));
    Decision d = RuleOrphans.decide(fit, health, LABELS);
    assertThat(d.action()).as(name + ": " + d.why()).isEqualTo(action);
    assertThat(d.removeStore()).as(name).isEqualTo(removeStore);
    assertThat(d.orphanStore()).as(name).isEqualTo(orphanStore);
    assertThat(String.join(" ", d.events())).as(name).isEqualTo(events);
    assertThat(d.why()).isNotBlank();
  }

  /** Store ids to peer ids ({@code offset} 100) or store ids ({@code offset} 0). */
  private static Set<Long> ids(String stores, long offset) {
    if (stores.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(stores.trim().split("\\s+")).map(s -> Long.parseLong(s) + offset)
        .collect(Collectors.toSet());
  }
}
