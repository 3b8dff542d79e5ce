package dev.jpd.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpd.core.placement.RegionFit.FitPeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionFitTest {
  /** Stores 1..n in zones z(id % zones), host h(id). */
  static Map<Long, Map<String, String>> stores(int n, int zones) {
    Map<Long, Map<String, String>> m = new HashMap<>();
    for (long i = 1; i <= n; i++) {
      m.put(i, Map.of("zone", "z" + (i % zones), "host", "h" + i));
    }
    return m;
  }

  static FitPeer voter(long store) {
    return new FitPeer(100 + store, store, false, false);
  }

  static FitPeer leader(long store) {
    return new FitPeer(100 + store, store, false, true);
  }

  static FitPeer learner(long store) {
    return new FitPeer(100 + store, store, true, false);
  }

  static Rule voters(int n) {
    return new Rule("pd", "default", 0, false, "", "", "voter", false, n, null,
        List.of("zone", "host"), "", 0, 0);
  }

  @Test
  void threeVotersSatisfyDefaultRule() {
    RegionFit f = RegionFit.fit(List.of(leader(1), voter(2), voter(3)), stores(3, 3),
        List.of(voters(3)));
    assertTrue(f.satisfied());
    assertEquals(3, f.ruleFits().get(0).peers().size());
    assertEquals(3 * 100.0, f.ruleFits().get(0).isolationScore());
  }

  @Test
  void missingPeerAndExtraPeer() {
    RegionFit few = RegionFit.fit(List.of(leader(1), voter(2)), stores(3, 3), List.of(voters(3)));
    assertFalse(few.satisfied());
    assertFalse(few.ruleFits().get(0).satisfied());
    RegionFit many = RegionFit.fit(List.of(leader(1), voter(2), voter(3), voter(4)),
        stores(4, 3), List.of(voters(3)));
    assertTrue(many.ruleFits().get(0).satisfied());
    assertEquals(1, many.orphanPeers().size());
    // the orphan is the peer that adds least isolation: store 4 shares zone z1 with store 1
    assertEquals(4, many.orphanPeers().get(0).storeId());
    assertFalse(many.satisfied());
  }

  @Test
  void learnerRoleMismatchAndLearnerRule() {
    Rule learnerRule = Rule.of("g", "l", "learner", 1, "", "");
    RegionFit f = RegionFit.fit(List.of(leader(1), voter(2), voter(3), learner(4)),
        stores(4, 4), List.of(voters(3), learnerRule));
    assertTrue(f.satisfied());
    assertEquals(4, f.ruleFits().get(1).peers().get(0).storeId());
    RegionFit wrong = RegionFit.fit(List.of(leader(1), voter(2), learner(3)), stores(3, 3),
        List.of(voters(3)));
    assertEquals(List.of(learner(3)), wrong.ruleFits().get(0).peersWithDifferentRole());
    assertFalse(wrong.satisfied());
  }

  @Test
  void leaderRuleTakesTheLeader() {
    Rule lead = Rule.of("g", "lead", "leader", 1, "", "");
    Rule follow = Rule.of("g", "f", "follower", 2, "", "");
    RegionFit f = RegionFit.fit(List.of(voter(1), leader(2), voter(3)), stores(3, 3),
        List.of(lead, follow));
    assertTrue(f.satisfied());
    assertEquals(2, f.ruleFits().get(0).peers().get(0).storeId());
  }

  @Test
  void labelConstraintsAndUnknownStoreMakeOrphans() {
    Rule z1 = new Rule("g", "z1", 0, false, "", "", "voter", false, 1,
        List.of(new LabelConstraint("zone", "in", List.of("z1"))), null, "", 0, 0);
    Map<Long, Map<String, String>> s = stores(3, 3);
    RegionFit f = RegionFit.fit(List.of(leader(1), voter(2), voter(9)), s, List.of(z1));
    assertEquals(List.of(leader(1)), f.ruleFits().get(0).peers());
    assertEquals(2, f.orphanPeers().size());
  }

  @Test
  void isolationLevelViolationIsNotSatisfied() {
    Rule zoned = new Rule("pd", "default", 0, false, "", "", "voter", false, 3, null,
        List.of("zone", "host"), "zone", 0, 0);
    // stores 1 and 3 share zone z1 when there are 2 zones
    RegionFit f = RegionFit.fit(List.of(leader(1), voter(2), voter(3)), stores(3, 2),
        List.of(zoned));
    assertFalse(f.ruleFits().get(0).isolationSatisfied());
    assertFalse(f.satisfied());
    RegionFit ok = RegionFit.fit(List.of(leader(1), voter(2), voter(3)), stores(3, 3),
        List.of(zoned));
    assertTrue(ok.satisfied());
  }

  @Test
  void thirtySixPeersFitCorrectly() {
    List<FitPeer> peers = new ArrayList<>();
    for (long i = 1; i <= 36; i++) {
      peers.add(i == 1 ? leader(i) : i > 30 ? learner(i) : voter(i));
    }
    Rule learners = Rule.of("g", "l", "learner", 6, "", "");
    RegionFit f = RegionFit.fit(peers, stores(36, 6), List.of(voters(30), learners));
    assertTrue(f.satisfied());
    assertEquals(30, f.ruleFits().get(0).peers().size());
    assertTrue(f.ruleFits().get(1).peers().stream().allMatch(FitPeer::learner));
  }
}
