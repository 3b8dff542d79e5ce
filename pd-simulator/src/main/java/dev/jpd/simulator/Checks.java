package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pieces the cases' success checks are made of. Each returns null when satisfied, else why not. */
final class Checks {
  private Checks() {}

  /**
   * The PD knows exactly the simulator's regions: same ids, ranges, epochs and leaders, and
   * together they cover the key space with no gap or overlap.
   */
  static String pdMatches(Driver d) {
    List<SimRegion> sim = d.cluster.sortedRegions();
    List<Pdpb.Region> pd = d.pd.scanRegions();
    if (pd.size() != sim.size()) {
      return "PD has " + pd.size() + " regions, the stores have " + sim.size();
    }
    ByteString expectStart = ByteString.EMPTY;
    for (int i = 0; i < sim.size(); i++) {
      SimRegion s = sim.get(i);
      Pdpb.Region p = pd.get(i);
      if (!p.getRegion().equals(s.meta)) {
        return "region " + s.id() + " differs: PD has " + brief(p.getRegion()) + ", stores have " + brief(s.meta);
      }
      if (p.getLeader().getId() != s.leaderPeerId) {
        return "region " + s.id() + ": PD's leader is peer " + p.getLeader().getId() + ", the stores' is " + s.leaderPeerId;
      }
      if (!p.getRegion().getStartKey().equals(expectStart)) {
        return "gap or overlap before region " + s.id() + " at " + Keys.text(expectStart);
      }
      expectStart = p.getRegion().getEndKey();
    }
    if (!expectStart.isEmpty()) {
      return "the last region ends at " + Keys.text(expectStart) + ", not at the end of the key space";
    }
    return null;
  }

  static String brief(Metapb.Region r) {
    return "[" + Keys.text(r.getStartKey()) + ", " + Keys.text(r.getEndKey()) + ") v"
        + r.getRegionEpoch().getVersion() + " c" + r.getRegionEpoch().getConfVer()
        + " peers=" + r.getPeersCount();
  }

  /** Every region has {@code replicas} voters, all on live stores, none pending, no joint state. */
  static String fullyReplicated(Driver d, int replicas) {
    for (SimRegion r : d.cluster.sortedRegions()) {
      int voters = liveVoters(d, r);
      if (voters != replicas || r.meta.getPeersCount() != replicas || !r.pending.isEmpty()) {
        return "region " + r.id() + " has " + voters + " live voters of " + r.meta.getPeersCount()
            + " peers, " + r.pending.size() + " pending; want " + replicas;
      }
    }
    return null;
  }

  /** Every live store's count is within {@code tolerance} (fraction) of the mean. */
  static String uniform(Map<Long, Integer> counts, double tolerance, String what) {
    if (counts.isEmpty()) {
      return "no stores";
    }
    double mean = counts.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      if (Math.abs(e.getValue() - mean) > Math.max(1, mean * tolerance)) {
        return what + " per store not uniform: " + counts + " (mean " + String.format("%.1f", mean) + ")";
      }
    }
    return null;
  }

  static Map<Long, Integer> perLiveStore(Driver d, java.util.function.LongToIntFunction f) {
    Map<Long, Integer> out = new java.util.TreeMap<>();
    for (SimStore s : d.cluster.stores.values()) {
      if (s.up) {
        out.put(s.id, f.applyAsInt(s.id));
      }
    }
    return out;
  }

  /** Leaders of {@code hot} regions per live store differ by at most {@code maxDiff}. */
  static String hotLeadersSpread(Driver d, Set<Long> hot, int maxDiff, boolean peersToo) {
    Map<Long, Integer> leaders = new HashMap<>();
    Map<Long, Integer> peers = new HashMap<>();
    for (SimStore s : d.cluster.stores.values()) {
      if (s.up) {
        leaders.put(s.id, 0);
        peers.put(s.id, 0);
      }
    }
    for (long id : hot) {
      SimRegion r = d.cluster.regions.get(id);
      if (r == null || r.removed) {
        continue;
      }
      leaders.merge(r.leader().getStoreId(), 1, Integer::sum);
      for (Metapb.Peer p : r.meta.getPeersList()) {
        peers.merge(p.getStoreId(), 1, Integer::sum);
      }
    }
    String why = spread(leaders, maxDiff, "hot leaders");
    return why != null || !peersToo ? why : spread(peers, maxDiff, "hot peers");
  }

  private static String spread(Map<Long, Integer> m, int maxDiff, String what) {
    int max = m.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = m.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    return max - min <= maxDiff ? null : what + " per store differ by " + (max - min) + ": " + m;
  }

  /** No region has two peers with the same value of {@code label}. */
  static String isolated(Driver d, String label) {
    for (SimRegion r : d.cluster.sortedRegions()) {
      Set<String> seen = new HashSet<>();
      for (Metapb.Peer p : r.meta.getPeersList()) {
        String v = label(d, p.getStoreId(), label);
        if (!seen.add(v)) {
          return "region " + r.id() + " has two peers in " + label + "=" + v;
        }
      }
    }
    return null;
  }

  /** Every region has exactly one learner, on a store whose {@code key} label is {@code value}. */
  static String learnerIn(Driver d, String key, String value) {
    for (SimRegion r : d.cluster.sortedRegions()) {
      List<Long> learners = new ArrayList<>();
      for (Metapb.Peer p : r.meta.getPeersList()) {
        if (p.getRole() == Metapb.PeerRole.Learner) {
          learners.add(p.getStoreId());
        }
      }
      if (learners.size() != 1 || !label(d, learners.get(0), key).equals(value)) {
        return "region " + r.id() + " has learners on stores " + learners + "; want one in "
            + key + "=" + value;
      }
    }
    return null;
  }

  /** Every region has {@code voters} voters on live stores and no pending peer. */
  static String votersIn(Driver d, int voters) {
    for (SimRegion r : d.cluster.sortedRegions()) {
      int n = liveVoters(d, r);
      if (n != voters || !r.pending.isEmpty()) {
        return "region " + r.id() + " has " + n + " live voters, " + r.pending.size()
            + " pending peers; want " + voters + " voters";
      }
    }
    return null;
  }

  /** Voters of the region on stores that are up. */
  private static int liveVoters(Driver d, SimRegion r) {
    int n = 0;
    for (Metapb.Peer p : r.meta.getPeersList()) {
      if (p.getRole() == Metapb.PeerRole.Voter && d.cluster.storeUp(p.getStoreId())) {
        n++;
      }
    }
    return n;
  }

  /** The store's value of label {@code key}, or "" when it has none. */
  private static String label(Driver d, long storeId, String key) {
    for (Metapb.StoreLabel l : d.cluster.stores.get(storeId).meta.getLabelsList()) {
      if (l.getKey().equals(key)) {
        return l.getValue();
      }
    }
    return "";
  }

  /** Whether the PD has marked the store Tombstone (GetStore). */
  static boolean tombstone(Driver d, long storeId) {
    return d.pd.getStore(storeId).getState() == Metapb.StoreState.Tombstone;
  }

  /** Combines checks: the first unmet one wins; null (all met) becomes an OK verdict. */
  static SimCase.Verdict verdict(String okDetail, String... reasons) {
    for (String r : reasons) {
      if (r != null) {
        return SimCase.Verdict.notYet(r);
      }
    }
    return SimCase.Verdict.ok(okDetail);
  }
}
