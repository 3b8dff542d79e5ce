package dev.jpd.core.placement;

import static dev.jpd.core.placement.RegionFitTest.leader;
import static dev.jpd.core.placement.RegionFitTest.learner;
import static dev.jpd.core.placement.RegionFitTest.voter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.RegionFit.FitPeer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FitQueriesTest {
  /** Stores 1..3 in zones z1..z3, 4 in z1 (shares a zone with 1), 5 in z4, 6 in z2 with ssd. */
  private static final Map<Long, Map<String, String>> LABELS = new HashMap<>(Map.of(
      1L, Map.of("zone", "z1"), 2L, Map.of("zone", "z2"), 3L, Map.of("zone", "z3"),
      4L, Map.of("zone", "z1"), 5L, Map.of("zone", "z4"), 6L, Map.of("zone", "z2", "disk", "ssd")));

  private static Rule rule(String id, String role, int count, List<LabelConstraint> cs) {
    return new Rule("pd", id, 0, false, "", "", role, false, count, cs, List.of("zone"), "", 0, 0);
  }

  private static final Rule VOTERS = rule("default", "voter", 3, null);
  private static final Rule SSD_LEARNER =
      rule("ssd", "learner", 1, List.of(new LabelConstraint("disk", "in", List.of("ssd"))));

  private static RegionFit fit(List<FitPeer> peers, Rule... rules) {
    return RegionFit.fit(peers, LABELS, List.of(rules));
  }

  static Stream<Arguments> replaceCases() {
    List<FitPeer> threeZones = List.of(leader(1), voter(2), voter(3));
    return Stream.of(
        Arguments.of("same isolation: z3 -> z4", threeZones, 3L, 5L, true),
        Arguments.of("worse isolation: z3 -> z1 next to store 1", threeZones, 3L, 4L, false),
        Arguments.of("destination already in the rule", threeZones, 3L, 2L, true),
        Arguments.of("source holds no rule peer", threeZones, 5L, 4L, false),
        Arguments.of("destination labels unknown", threeZones, 3L, 9L, false),
        Arguments.of("destination misses the rule's label constraint",
            List.of(leader(1), voter(2), voter(3), learner(6)), 6L, 5L, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replaceCases")
  void canReplace(String name, List<FitPeer> peers, long src, long dst, boolean want) {
    RegionFit f = fit(peers, VOTERS, SSD_LEARNER);
    assertThat(FitQueries.canReplace(f, src, dst, LABELS)).as(name).isEqualTo(want);
  }

  @Test
  void sameRoleInAnotherRuleIsARoleExchange() {
    Rule z1 = rule("z1", "voter", 1, List.of(new LabelConstraint("zone", "in", List.of("z1"))));
    Rule rest = rule("rest", "voter", 2, null);
    RegionFit f = fit(List.of(leader(1), voter(2), voter(3)), z1, rest);
    // store 2 is outside z1, yet it serves another voter rule: PD allows the exchange
    assertThat(FitQueries.canReplace(f, 1, 2, LABELS)).isTrue();
  }

  @Test
  void ruleFitOfPeerAndStore() {
    RegionFit f = fit(List.of(leader(1), voter(2), voter(3), learner(6), voter(5)), VOTERS,
        SSD_LEARNER);
    assertThat(FitQueries.ruleFitOfPeer(f, voter(2).peerId()).rule()).isEqualTo(VOTERS);
    assertThat(FitQueries.ruleFitOfPeer(f, learner(6).peerId()).rule()).isEqualTo(SSD_LEARNER);
    assertThat(FitQueries.ruleFitOfPeer(f, voter(5).peerId())).as("orphan").isNull();
    assertThat(FitQueries.ruleFitOfStore(f, 6).rule()).isEqualTo(SSD_LEARNER);
    assertThat(FitQueries.ruleFitOfStore(f, 5)).as("orphan").isNull();
  }

  @Test
  void extraCountCountsOrphansAndMissingPeers() {
    assertThat(FitQueries.extraCount(fit(List.of(leader(1), voter(2), voter(3), voter(5)),
        VOTERS))).isEqualTo(1);
    assertThat(FitQueries.extraCount(fit(List.of(leader(1), voter(2)), VOTERS))).isEqualTo(-1);
    assertThat(FitQueries.extraCount(fit(List.of(leader(1), voter(2), voter(3)), VOTERS,
        SSD_LEARNER))).isEqualTo(-1);
  }
}
