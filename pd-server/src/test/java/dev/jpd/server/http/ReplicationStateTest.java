package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.placement.Rule;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ReplicationRoutes}' pure parts: the answer for a range and "replicated" per region. */
@Timeout(30)
class ReplicationStateTest {

  /**
   * Regions as "id" (replicated) or "id!" (not), in key order; the rule pending ids; the answer.
   */
  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of("", Set.of(), "REPLICATED"),
        Arguments.of("1 2 3", Set.of(), "REPLICATED"),
        Arguments.of("1 2 3", Set.of(2L), "REPLICATED"),
        Arguments.of("1 2! 3", Set.of(), "INPROGRESS"),
        Arguments.of("1 2! 3", Set.of(1L), "INPROGRESS"),
        Arguments.of("1 2! 3", Set.of(2L), "PENDING"),
        Arguments.of("1! 2 3!", Set.of(3L), "PENDING"));
  }

  @ParameterizedTest(name = "{0} pending {1} -> {2}")
  @MethodSource("ranges")
  void answer(String regions, Set<Long> pending, String want) {
    List<RegionInfo> rs = new ArrayList<>();
    List<Long> bad = new ArrayList<>();
    for (String r : regions.isEmpty() ? new String[0] : regions.split(" ")) {
      long id = Long.parseLong(r.replace("!", ""));
      rs.add(region(id, peer(id * 10 + 1, 1, false), peer(id * 10 + 2, 2, false),
          peer(id * 10 + 3, 3, false)));
      if (r.endsWith("!")) {
        bad.add(id);
      }
    }
    assertThat(ReplicationRoutes.state(rs, r -> !bad.contains(r.id()), pending::contains))
        .isEqualTo(want);
  }

  static Metapb.Peer peer(long id, long store, boolean learner) {
    return TestPd.peer(id, store).toBuilder()
        .setRole(learner ? Metapb.PeerRole.Learner : Metapb.PeerRole.Voter).build();
  }

  static RegionInfo region(long id, Metapb.Peer... peers) {
    Metapb.Region r = TestPd.region(id, "a" + id, "a" + (id + 1), 1, 1, peers);
    return RegionInfo.fromHeartbeat(Pdpb.RegionHeartbeatRequest.newBuilder()
        .setRegion(r).setLeader(peers[0]).build());
  }

  @Test
  void withRulesEveryRuleMustBeSatisfiedWithNoOrphan() {
    Map<Long, Map<String, String>> labels = Map.of(1L, Map.of("zone", "z1"),
        2L, Map.of("zone", "z1"), 3L, Map.of("zone", "z1"), 4L, Map.of("zone", "z2"));
    Rule voters = Rule.of("pd", "default", "voter", 3, "", "");
    Rule learner = new Rule("pd", "z2", 1, false, "", "", "learner", false, 1,
        List.of(new dev.jpd.core.placement.LabelConstraint("zone", "in", List.of("z2"))),
        List.of(), "", 0, 0);
    RegionInfo three = region(1, peer(1, 1, false), peer(2, 2, false), peer(3, 3, false));
    RegionInfo withLearner = region(1, peer(1, 1, false), peer(2, 2, false), peer(3, 3, false),
        peer(4, 4, true));
    assertThat(ReplicationRoutes.satisfiesRules(three, labels, List.of(voters))).isTrue();
    assertThat(ReplicationRoutes.satisfiesRules(three, labels, List.of(voters, learner)))
        .as("the learner rule is short").isFalse();
    assertThat(ReplicationRoutes.satisfiesRules(withLearner, labels, List.of(voters, learner)))
        .isTrue();
    assertThat(ReplicationRoutes.satisfiesRules(withLearner, labels, List.of(voters)))
        .as("the learner is an orphan").isFalse();
    assertThat(ReplicationRoutes.satisfiesRules(three, labels, List.of()))
        .as("no rule applies to the whole region: it must be split first").isFalse();
  }
}
