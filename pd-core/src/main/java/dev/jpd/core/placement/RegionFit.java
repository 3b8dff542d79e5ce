package dev.jpd.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How a region's peers fit its rules (PD {@code fit.go}), immutable.
 *
 * <p>Design: PD searches every assignment of peers to rules, which is exponential (2^36 loops
 * with 36 peers, pd#6663). Here {@link #fit} is greedy: rules are taken in application order;
 * each takes, among the peers still free whose store matches its label constraints, first the
 * peers whose role already matches, then one at a time the peer that adds the most to the rule's
 * isolation score (ties: lower peer id, for determinism). Cost O(R · P² · L) for R rules, P peers
 * and L location labels (each pick adds its pair scores to the gains of the peers left) —
 * polynomial; 36 peers fit in well under a millisecond (docs/performance.md). What is not optimal: when two
 * rules compete for peers, the earlier rule wins even if the later one could be satisfied only
 * by that peer; PD has the same order bias for ties.
 *
 * @param ruleFits one per applicable rule, in application order
 * @param orphanPeers peers no rule took
 */
public record RegionFit(List<RuleFit> ruleFits, List<FitPeer> orphanPeers) {
  /** A region peer as fit sees it: the store it is on, whether learner, whether leader. */
  public record FitPeer(long peerId, long storeId, boolean learner, boolean leader) {}

  /**
   * One rule's share of the fit.
   *
   * @param peers the peers assigned to the rule (at most {@code rule.count()})
   * @param peersWithDifferentRole those of {@code peers} whose role does not match the rule
   * @param isolationScore PD's score: sum over peer pairs of 100^(L - i - 1), i the first
   *     location label they differ on; higher is better isolated
   * @param isolationSatisfied no two peers share the values of the labels up to isolation_level
   */
  public record RuleFit(Rule rule, List<FitPeer> peers, List<FitPeer> peersWithDifferentRole,
      double isolationScore, boolean isolationSatisfied) {
    /** PD's {@code IsSatisfied}: enough peers, all with the right role, isolation level kept. */
    public boolean satisfied() {
      return peers.size() == rule.count() && peersWithDifferentRole.isEmpty()
          && isolationSatisfied;
    }
  }

  public RegionFit {
    ruleFits = List.copyOf(ruleFits);
    orphanPeers = List.copyOf(orphanPeers);
  }

  /** Every rule satisfied and no orphan peer. */
  public boolean satisfied() {
    return orphanPeers.isEmpty() && ruleFits.stream().allMatch(RuleFit::satisfied);
  }

  /**
   * Fits {@code peers} to {@code rules}. {@code storeLabels} maps store id to labels; a peer on
   * a store absent from it matches no rule and ends up an orphan.
   */
  public static RegionFit fit(
      List<FitPeer> peers, Map<Long, Map<String, String>> storeLabels, List<Rule> rules) {
    List<FitPeer> free = new ArrayList<>(peers);
    free.sort(Comparator.comparingLong(FitPeer::peerId));
    if (rules.size() == 1) {
      RegionFit all = oneRuleTakesAll(free, storeLabels, rules.get(0));
      if (all != null) {
        return all;
      }
    }
    List<RuleFit> fits = new ArrayList<>(rules.size());
    for (Rule rule : rules) {
      List<FitPeer> candidates = new ArrayList<>();
      for (FitPeer p : free) {
        Map<String, String> labels = storeLabels.get(p.storeId());
        if (labels != null && LabelConstraint.matchesAll(labels, rule.labelConstraints())) {
          candidates.add(p);
        }
      }
      List<FitPeer> chosen = choose(rule, candidates, storeLabels);
      free.removeAll(chosen);
      List<FitPeer> wrongRole = List.of();
      for (FitPeer p : chosen) {
        if (!roleMatches(rule, p)) {
          if (wrongRole.isEmpty()) {
            wrongRole = new ArrayList<>();
          }
          wrongRole.add(p);
        }
      }
      wrongRole = wrongRole.isEmpty() ? wrongRole : List.copyOf(wrongRole); // immutable, as before
      fits.add(new RuleFit(rule, chosen, wrongRole,
          isolationScore(chosen, storeLabels, rule.locationLabels()),
          isolationSatisfied(chosen, storeLabels, rule)));
    }
    return new RegionFit(fits, free);
  }

  /**
   * The greedy fit's answer without its bookkeeping, in the common case (the default rule, a
   * healthy region): one rule, exactly its count of peers, each matching its constraints and its
   * role, and every two peers scoring the same pair score. Every candidate's gain is then equal at
   * each pick, ties go to the lower peer id, so the greedy takes all of them in peer-id order:
   * the same fit, score and isolation verdict. Null when the case does not hold.
   */
  private static RegionFit oneRuleTakesAll(
      List<FitPeer> sorted, Map<Long, Map<String, String>> storeLabels, Rule rule) {
    int n = sorted.size();
    if (n == 0 || n != rule.count()) {
      return null;
    }
    for (FitPeer p : sorted) {
      Map<String, String> labels = storeLabels.get(p.storeId());
      if (labels == null || !roleMatches(rule, p)
          || !LabelConstraint.matchesAll(labels, rule.labelConstraints())) {
        return null;
      }
    }
    List<String> ls = rule.locationLabels();
    double pair = -1;
    for (int i = 0; i < n; i++) {
      Map<String, String> a = storeLabels.get(sorted.get(i).storeId());
      for (int j = i + 1; j < n; j++) {
        double s = pairScore(a, storeLabels.get(sorted.get(j).storeId()), ls);
        if (pair >= 0 && s != pair) {
          return null;
        }
        pair = s;
      }
    }
    // every pair scores the same power of 100, so the sum is exact as a product: the isolation
    // score without scoring the pairs again
    double isolation = n < 2 ? 0 : pair * (n * (n - 1) / 2);
    return new RegionFit(List.of(new RuleFit(rule, sorted, List.of(), isolation,
        isolationSatisfied(sorted, storeLabels, rule))), List.of());
  }

  private static List<FitPeer> choose(
      Rule rule, List<FitPeer> candidates, Map<Long, Map<String, String>> labels) {
    List<FitPeer> chosen = new ArrayList<>();
    List<String> ls = rule.locationLabels();
    for (boolean wantRoleMatch : new boolean[] {true, false}) {
      List<FitPeer> pool = new ArrayList<>();
      for (FitPeer p : candidates) {
        if (roleMatches(rule, p) == wantRoleMatch) {
          pool.add(p);
        }
      }
      int n = pool.size();
      List<Map<String, String>> poolLabels = new ArrayList<>(n);
      double[] gain = new double[n];
      for (int i = 0; i < n; i++) {
        poolLabels.add(labels.get(pool.get(i).storeId()));
        for (FitPeer q : chosen) {
          gain[i] += pairScore(poolLabels.get(i), labels.get(q.storeId()), ls);
        }
      }
      // each pick adds its pair score to the gains of the peers left: the sums build up in
      // the order of choice, as recomputing them would, so ties break the same way
      boolean[] taken = new boolean[n];
      for (int left = n; chosen.size() < rule.count() && left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (!taken[i] && (best < 0 || gain[i] > gain[best])) {
            best = i;
          }
        }
        taken[best] = true;
        chosen.add(pool.get(best));
        for (int i = 0; i < n; i++) {
          if (!taken[i]) {
            gain[i] += pairScore(poolLabels.get(i), poolLabels.get(best), ls);
          }
        }
      }
    }
    return chosen;
  }

  static boolean roleMatches(Rule rule, FitPeer p) {
    return switch (rule.peerRole()) {
      case VOTER -> !p.learner();
      case LEADER -> p.leader();
      case FOLLOWER -> !p.learner() && !p.leader();
      case LEARNER -> p.learner();
    };
  }

  private static double pairScore(Map<String, String> a, Map<String, String> b, List<String> ls) {
    for (int i = 0; i < ls.size(); i++) {
      if (!java.util.Objects.equals(a.get(ls.get(i)), b.get(ls.get(i)))) {
        return powerOf100(ls.size() - i - 1);
      }
    }
    return 0;
  }

  /** 100^k exactly, as {@code Math.pow} gives it for these integers, without calling it. */
  private static final double[] POWERS_OF_100 = {1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12, 1e14, 1e16};

  private static double powerOf100(int k) {
    return k < POWERS_OF_100.length ? POWERS_OF_100[k] : Math.pow(100, k);
  }

  static double isolationScore(
      List<FitPeer> peers, Map<Long, Map<String, String>> labels, List<String> ls) {
    double score = 0;
    for (int i = 0; i < peers.size(); i++) {
      for (int j = i + 1; j < peers.size(); j++) {
        score += pairScore(labels.get(peers.get(i).storeId()), labels.get(peers.get(j).storeId()),
            ls);
      }
    }
    return score;
  }

  private static boolean isolationSatisfied(
      List<FitPeer> peers, Map<Long, Map<String, String>> labels, Rule rule) {
    if (rule.isolationLevel().isEmpty()) {
      return true;
    }
    int upTo = rule.locationLabels().indexOf(rule.isolationLevel());
    List<String> ls = rule.locationLabels().subList(0, upTo + 1);
    java.util.Set<List<String>> seen = new java.util.HashSet<>();
    for (FitPeer p : peers) {
      Map<String, String> l = labels.get(p.storeId());
      if (!seen.add(ls.stream().map(k -> String.valueOf(l.get(k))).toList())) {
        return false;
      }
    }
    return true;
  }
}
