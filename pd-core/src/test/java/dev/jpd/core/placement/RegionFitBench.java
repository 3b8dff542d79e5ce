package dev.jpd.core.placement;

import dev.jpd.core.placement.RegionFit.FitPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures {@link RegionFit#fit} for 3, 5 and 36 peers (one voter rule with zone/host labels,
 * plus a learner rule for 36). Run: {@code java -cp pd-core/target/classes:pd-core/target/test-classes:$JACKSON
 * dev.jpd.core.placement.RegionFitBench}; figures go in docs/performance.md.
 */
public final class RegionFitBench {
  private RegionFitBench() {}

  public static void main(String[] args) {
    for (int n : new int[] {3, 5, 36}) {
      List<FitPeer> peers = new ArrayList<>();
      for (long i = 1; i <= n; i++) {
        peers.add(new FitPeer(100 + i, i, n == 36 && i > 30, i == 1));
      }
      Map<Long, Map<String, String>> stores = RegionFitTest.stores(n, Math.min(n, 6));
      List<Rule> rules = n == 36
          ? List.of(RegionFitTest.voters(30), Rule.of("g", "l", "learner", 6, "", ""))
          : List.of(RegionFitTest.voters(n));
      int iters = n == 36 ? 20_000 : 200_000;
      long sink = 0;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
          sink += RegionFit.fit(peers, stores, rules).orphanPeers().size();
        }
        long dt = System.nanoTime() - t0;
        System.out.printf("peers=%d round=%d: %.2f us/fit%n", n, round, dt / 1000.0 / iters);
      }
      if (sink != 0) {
        throw new AssertionError("unexpected orphans");
      }
    }
  }
}
