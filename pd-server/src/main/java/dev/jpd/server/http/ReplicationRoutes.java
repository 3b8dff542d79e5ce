package dev.jpd.server.http;

import dev.jpd.checker.patrol.PatrolService;
import dev.jpd.core.placement.RegionFit;
import dev.jpd.core.placement.Rule;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.PdConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * {@code GET /pd/api/v1/regions/replicated?startKey=&endKey=} (PD's {@code
 * CheckRegionsReplicated}): whether every region overlapping the hex key range is fully
 * replicated. The answer is a JSON string:
 *
 * <ul>
 *   <li>{@code "REPLICATED"}: every region is (none in the range counts as replicated);
 *   <li>{@code "PENDING"}: some region is not, and the rule checker found no store to fix it with
 *       (it waits in the rule pending list, see {@link PatrolService#isRulePending});
 *   <li>{@code "INPROGRESS"}: some regions are not, none of them pending.
 * </ul>
 *
 * A region is replicated (PD's {@code IsRegionReplicated}) when, with placement rules on, rules
 * apply to its whole range and its peers satisfy every one of them with no orphan peer; with them
 * off, when it has {@code max-replicas} peers and no learner. Both keys are required; a missing
 * or non-hex key is a 400. An empty {@code endKey} scans to the end of the key space.
 */
public final class ReplicationRoutes {
  static final String REPLICATED = "REPLICATED";
  static final String IN_PROGRESS = "INPROGRESS";
  static final String PENDING = "PENDING";

  private ReplicationRoutes() {}

  /** Registers the route; {@code rules} may be null (no placement rules: max-replicas counts). */
  public static void register(HttpApi api, RaftCluster cluster, RuleManager rules,
      LiveConfig config, PatrolService patrol) {
    api.get("/pd/api/v1/regions/replicated", c -> {
      byte[] start = hexKey(c, "startKey");
      byte[] end = hexKey(c, "endKey");
      List<RegionInfo> regions = cluster.regions().scanRegions(start, end, 0);
      Predicate<RegionInfo> replicated = replicatedTest(cluster, rules, config.current());
      return state(regions, replicated, patrol::isRulePending);
    });
  }

  /** PD's loop: the first pending region ends it; otherwise any unreplicated one is in progress. */
  static String state(List<RegionInfo> regions, Predicate<RegionInfo> replicated,
      LongPredicate rulePending) {
    String state = REPLICATED;
    for (RegionInfo r : regions) {
      if (!replicated.test(r)) {
        if (rulePending.test(r.id())) {
          return PENDING;
        }
        state = IN_PROGRESS;
      }
    }
    return state;
  }

  /** PD's {@code IsRegionReplicated} under the config in force. */
  static Predicate<RegionInfo> replicatedTest(RaftCluster cluster, RuleManager rules,
      PdConfig cfg) {
    if (!cfg.replication().enablePlacementRules() || rules == null) {
      long maxReplicas = cfg.replication().maxReplicas();
      return r -> r.peers().size() == maxReplicas && learners(r) == 0;
    }
    Map<Long, Map<String, String>> labels = new HashMap<>();
    for (StoreInfo s : cluster.stores().all()) {
      Map<String, String> m = new HashMap<>();
      s.meta().getLabelsList().forEach(l -> m.put(l.getKey(), l.getValue()));
      labels.put(s.id(), m);
    }
    return r -> satisfiesRules(r, labels,
        rules.rulesForRange(r.startKey().toByteArray(), r.endKey().toByteArray()));
  }

  /** The region's peers fit {@code applied}; false when no rule applies (it must be split). */
  static boolean satisfiesRules(RegionInfo r, Map<Long, Map<String, String>> labels,
      List<Rule> applied) {
    if (applied.isEmpty()) {
      return false;
    }
    long leader = r.hasLeader() ? r.leader().getId() : 0;
    List<RegionFit.FitPeer> peers = new ArrayList<>();
    for (Metapb.Peer p : r.peers()) {
      peers.add(new RegionFit.FitPeer(p.getId(), p.getStoreId(),
          p.getRole() == Metapb.PeerRole.Learner, p.getId() == leader));
    }
    return RegionFit.fit(peers, labels, applied).satisfied();
  }

  private static long learners(RegionInfo r) {
    return r.peers().stream().filter(p -> p.getRole() == Metapb.PeerRole.Learner).count();
  }

  private static byte[] hexKey(HttpCall c, String name) {
    String v = c.query(name);
    if (v == null) {
      throw HttpError.badRequest("missing " + name + ": want a hex key (empty for the "
          + (name.equals("startKey") ? "start" : "end") + " of the key space)");
    }
    return RegionJson.parseHex(name, v);
  }
}
