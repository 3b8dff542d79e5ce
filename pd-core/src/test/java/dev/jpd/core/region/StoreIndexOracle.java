package dev.jpd.core.region;

import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Brute-force recomputation of the per-store indexes from the cached regions, through the public
 * API only, compared with what the cache answers. Returns what differs (empty when consistent).
 */
final class StoreIndexOracle {
  private StoreIndexOracle() {}

  private static final class Expected {
    final Set<Long> leaders = new TreeSet<>();
    final Set<Long> followers = new TreeSet<>();
    final Set<Long> learners = new TreeSet<>();
    final Set<Long> pending = new TreeSet<>();
    int regionCount;
    long regionSize;
    long leaderSize;
  }

  /**
   * @param extraStores stores to check besides those the regions name (e.g. stores that lost
   *     every peer)
   * @param sizes whether to compare the size sums too (exact only when no heartbeat is in flight)
   */
  static List<String> check(RegionsInfo cache, Set<Long> extraStores, boolean sizes) {
    Map<Long, Expected> byStore = new TreeMap<>();
    for (long s : extraStores) {
      byStore.put(s, new Expected());
    }
    for (RegionInfo r : cache.all()) {
      long id = r.id();
      if (r.hasLeader() && r.leaderStoreId() != 0) {
        Expected e = byStore.computeIfAbsent(r.leaderStoreId(), s -> new Expected());
        e.leaders.add(id);
        e.leaderSize += r.approximateSize();
      }
      Set<Long> seen = new HashSet<>();
      for (Metapb.Peer p : r.peers()) {
        Expected e = byStore.computeIfAbsent(p.getStoreId(), s -> new Expected());
        if (seen.add(p.getStoreId())) {
          e.regionCount++;
          e.regionSize += r.approximateSize();
        }
        if (p.getRole() == Metapb.PeerRole.Learner) {
          e.learners.add(id);
        } else if (p.getId() != r.leader().getId()) {
          e.followers.add(id);
        }
      }
      for (Metapb.Peer p : r.pendingPeers()) {
        byStore.computeIfAbsent(p.getStoreId(), s -> new Expected()).pending.add(id);
      }
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Long, Expected> entry : byStore.entrySet()) {
      long s = entry.getKey();
      Expected e = entry.getValue();
      compare(problems, s, "leader", e.leaders, cache.leaderRegionIds(s), cache.leaderCount(s));
      compare(problems, s, "follower", e.followers, cache.followerRegionIds(s),
          cache.followerCount(s));
      compare(problems, s, "learner", e.learners, cache.learnerRegionIds(s),
          cache.learnerCount(s));
      compare(problems, s, "pending", e.pending, cache.pendingRegionIds(s),
          cache.pendingPeerCount(s));
      compareIds(problems, s, "leaderRegions", e.leaders,
          cache.leaderRegions(s).stream().mapToLong(RegionInfo::id).toArray());
      if (cache.regionCount(s) != e.regionCount) {
        problems.add("store " + s + " regionCount " + cache.regionCount(s) + ", want "
            + e.regionCount);
      }
      if (sizes && cache.regionSize(s) != e.regionSize) {
        problems.add("store " + s + " regionSize " + cache.regionSize(s) + ", want "
            + e.regionSize);
      }
      if (sizes && cache.leaderSize(s) != e.leaderSize) {
        problems.add("store " + s + " leaderSize " + cache.leaderSize(s) + ", want "
            + e.leaderSize);
      }
    }
    return problems;
  }

  private static void compare(
      List<String> problems, long store, String what, Set<Long> want, long[] got, int count) {
    compareIds(problems, store, what, want, got);
    if (count != want.size()) {
      problems.add("store " + store + " " + what + " count " + count + ", want " + want.size());
    }
  }

  private static void compareIds(
      List<String> problems, long store, String what, Set<Long> want, long[] got) {
    long[] sorted = got.clone();
    Arrays.sort(sorted);
    long[] expected = want.stream().mapToLong(Long::longValue).toArray();
    if (!Arrays.equals(sorted, expected)) {
      problems.add("store " + store + " " + what + " ids " + Arrays.toString(sorted) + ", want "
          + Arrays.toString(expected));
    }
  }
}
