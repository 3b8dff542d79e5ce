package dev.jpd.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpd.core.placement.RegionFit.FitPeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fit's incremental gains pick the same peers, in the same order, as the plain greedy rule
 * they replace: recompute every free peer's gain against the peers chosen so far, take the
 * highest, ties to the first in peer-id order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionFitGreedyTest {

  @Test
  void incrementalGainsChooseAsTheRecomputingGreedyDoes() {
    Random rnd = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      int nStores = 2 + rnd.nextInt(20);
      Map<Long, Map<String, String>> labels = new HashMap<>();
      for (long s = 1; s <= nStores; s++) {
        labels.put(s, Map.of("zone", "z" + rnd.nextInt(4), "rack", "r" + rnd.nextInt(3),
            "host", "h" + rnd.nextInt(5)));
      }
      List<FitPeer> peers = new ArrayList<>();
      int nPeers = 1 + rnd.nextInt(nStores);
      for (long i = 1; i <= nPeers; i++) {
        peers.add(new FitPeer(1000 - i * 7, i, rnd.nextInt(4) == 0, i == 1));
      }
      List<String> ls = List.of("zone", "rack", "host").subList(0, 1 + rnd.nextInt(3));
      List<Rule> rules = List.of(
          new Rule("pd", "a", 0, false, "", "", "voter", false, 1 + rnd.nextInt(5), null, ls,
              "", 0, 0),
          new Rule("pd", "b", 1, false, "", "", "learner", false, 1 + rnd.nextInt(3), null, ls,
              "", 0, 0));

      RegionFit fit = RegionFit.fit(peers, labels, rules);

      List<FitPeer> free = new ArrayList<>(peers);
      free.sort((a, b) -> Long.compare(a.peerId(), b.peerId()));
      for (int r = 0; r < rules.size(); r++) {
        List<FitPeer> want = recomputingGreedy(rules.get(r), free, labels);
        assertEquals(want, fit.ruleFits().get(r).peers(), "round " + round + " rule " + r);
        free.removeAll(want);
      }
      assertEquals(free, fit.orphanPeers(), "round " + round);
    }
  }

  /**
   * One rule taking all of the peers (the default rule's common case) has a short path; it must
   * give the fit the general path gives. The general path runs when a second rule, which no store
   * matches, is applied after it: its first rule fit and the orphans must equal the short path's.
   */
  @Test
  void oneRuleTakingAllPeersFitsAsTheGeneralPathDoes() {
    Random rnd = new Random(7);
    int shortCases = 0;
    for (int round = 0; round < 3_000; round++) {
      int nPeers = 1 + rnd.nextInt(5);
      Map<Long, Map<String, String>> labels = new HashMap<>();
      List<FitPeer> peers = new ArrayList<>();
      int zones = 1 + rnd.nextInt(6); // often every peer in its own zone
      for (long i = 1; i <= nPeers; i++) {
        labels.put(i, Map.of("zone", "z" + rnd.nextInt(zones), "host", "h" + i));
        peers.add(new FitPeer(100 - i * 3, i, rnd.nextInt(6) == 0, i == 1));
      }
      List<String> ls = rnd.nextBoolean() ? List.of("zone", "host") : List.of();
      String level = !ls.isEmpty() && rnd.nextBoolean() ? "zone" : "";
      Rule all = new Rule("pd", "default", 0, false, "", "", "voter", false,
          nPeers - rnd.nextInt(2), null, ls, level, 0, 0);
      Rule none = new Rule("pd", "nowhere", 1, false, "", "", "voter", false, 1,
          List.of(new LabelConstraint("zone", "in", List.of("nowhere"))), ls, "", 0, 0);

      RegionFit alone = RegionFit.fit(peers, labels, List.of(all));
      RegionFit general = RegionFit.fit(peers, labels, List.of(all, none));

      assertEquals(general.ruleFits().get(0), alone.ruleFits().get(0), "round " + round);
      assertEquals(general.orphanPeers(), alone.orphanPeers(), "round " + round);
      boolean distinct = labels.values().stream().map(m -> m.get("zone")).distinct().count()
          == nPeers;
      if (all.count() == nPeers && peers.stream().noneMatch(FitPeer::learner)
          && (distinct || ls.isEmpty())) {
        shortCases++;
      }
    }
    assertEquals(true, shortCases > 300, "the short path's case came up " + shortCases + " times");
  }

  /** The reference: every pick recomputes each free peer's gain from scratch. */
  private static List<FitPeer> recomputingGreedy(Rule rule, List<FitPeer> candidates,
      Map<Long, Map<String, String>> labels) {
    List<FitPeer> chosen = new ArrayList<>();
    for (boolean wantRoleMatch : new boolean[] {true, false}) {
      List<FitPeer> pool = new ArrayList<>();
      for (FitPeer p : candidates) {
        if (RegionFit.roleMatches(rule, p) == wantRoleMatch) {
          pool.add(p);
        }
      }
      while (chosen.size() < rule.count() && !pool.isEmpty()) {
        FitPeer best = null;
        double bestGain = -1;
        for (FitPeer p : pool) {
          double gain = 0;
          for (FitPeer q : chosen) {
            gain += pair(labels.get(p.storeId()), labels.get(q.storeId()),
                rule.locationLabels());
          }
          if (gain > bestGain) {
            best = p;
            bestGain = gain;
          }
        }
        chosen.add(best);
        pool.remove(best);
      }
    }
    return chosen;
  }

  private static double pair(Map<String, String> a, Map<String, String> b, List<String> ls) {
    for (int i = 0; i < ls.size(); i++) {
      if (!a.get(ls.get(i)).equals(b.get(ls.get(i)))) {
        return Math.pow(100, ls.size() - i - 1);
      }
    }
    return 0;
  }
}
