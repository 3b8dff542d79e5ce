package dev.jpd.checker;

import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreScores;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses stores for a region's replicas (PD's {@code replica_strategy.go}).
 *
 * <p>A target is chosen in two stages: the permanent filters (state, space, special use,
 * isolation level, extra filters) and the best distinct score over {@code location-labels} pick
 * the best-isolated candidates; then the {@link TemporaryFilter}s (add-peer store limit,
 * disconnected, busy, snapshots, pending peers) and the lowest region score pick one. When the
 * second stage leaves nothing the choice is "temporarily none" and the region should be retried
 * soon. Ties go to the lower store id, so
 * tests are deterministic (PD shuffles). Every store filtered out is recorded into the request.
 */
final class ReplicaStrategy {
  /** A chosen store (0 for none) and whether "none" is only because of temporary states. */
  record Choice(long storeId, boolean temporary) {
    static final Choice NONE = new Choice(0, false);
  }

  private final CheckerCluster cluster;
  private final RegionInfo region;
  private final List<String> labels;
  private final String isolationLevel;
  private final CheckRequest req;
  /** The rule's label constraints (rule checker), or null (replica checker: no rules). */
  private final List<LabelConstraint> constraints;
  /** The checker's memo of first stages, or null for none. */
  private final StoreSearchMemo memo;

  ReplicaStrategy(CheckerCluster cluster, RegionInfo region, CheckRequest req,
      StoreSearchMemo memo) {
    this(cluster, region, req, cluster.config().locationLabels(),
        cluster.config().isolationLevel(), null, memo);
  }

  /**
   * A strategy for a placement rule: its own location labels and isolation level, and its label
   * constraints as a permanent filter on every target. {@code memo} (may be null) is the
   * checker's, kept across regions.
   */
  ReplicaStrategy(CheckerCluster cluster, RegionInfo region, CheckRequest req,
      List<String> labels, String isolationLevel, List<LabelConstraint> constraints,
      StoreSearchMemo memo) {
    this.cluster = cluster;
    this.region = region;
    this.labels = labels;
    this.isolationLevel = isolationLevel;
    this.req = req;
    this.constraints = constraints;
    this.memo = memo;
  }

  /** The stores holding the region's peers (unknown stores left out). */
  List<StoreInfo> regionStores() {
    List<Metapb.Peer> peers = req.peers(region);
    List<StoreInfo> out = new ArrayList<>(peers.size());
    for (Metapb.Peer p : peers) {
      StoreInfo s = cluster.store(p.getStoreId());
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** A store for a new replica, compared for isolation against {@code coLocation}. */
  Choice selectStoreToAdd(List<StoreInfo> coLocation, List<StoreFilter> extra) {
    long[] holding = peerStoreIds();
    List<Candidate> candidates;
    if (memo == null || req.dryRun() || !extra.isEmpty()) {
      candidates = bestCandidates(cluster.stores(), coLocation, holding, extra);
    } else {
      StoreSearchMemo.Moment moment = StoreSearchMemo.Moment.of(cluster);
      StoreSearchMemo.Key key =
          new StoreSearchMemo.Key(labels, isolationLevel, constraints, coLocation, holding);
      candidates = memo.get(moment, key);
      if (candidates == null) {
        candidates = bestCandidates(moment.stores(), coLocation, holding, extra);
        if (moment.same(StoreSearchMemo.Moment.of(cluster))) {
          memo.put(moment, key, candidates);
        }
      }
    }
    if (candidates.isEmpty()) {
      return Choice.NONE;
    }
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Candidate c : candidates) {
      bestScore = Math.max(bestScore, c.distinct);
    }
    long size = region.approximateSize();
    StoreInfo target = null;
    double targetScore = 0;
    for (Candidate c : candidates) {
      if (c.distinct < bestScore) {
        // only in a dry run, which keeps every candidate to say why each lost, in store order
        req.rejected(c.store.id(), "isolation-score",
            "isolation score " + c.distinct + " below the best " + bestScore);
        continue;
      }
      TemporaryFilter failed = TemporaryFilter.firstFailing(cluster, size, c.store, c.status);
      if (failed != null) {
        if (req.dryRun()) {
          req.rejected(c.store.id(), failed.filterName(),
              failed.why(cluster, size, c.store, c.status));
        }
        continue;
      }
      double score = regionScore(c.store);
      if (target == null || score < targetScore
          || (score == targetScore && c.store.id() < target.id())) {
        target = c.store;
        targetScore = score;
      }
    }
    return target == null ? new Choice(0, true) : new Choice(target.id(), false);
  }

  /**
   * The first stage: the stores passing the permanent filters, in store order, as an immutable
   * list (empty when none passes). Outside a dry run only those with the best isolation score are
   * kept; a dry run keeps all, so that the second stage can say why each lost. Reads no region
   * state but {@code holding}, so {@link StoreSearchMemo} may keep it.
   */
  private List<Candidate> bestCandidates(List<StoreInfo> stores, List<StoreInfo> coLocation,
      long[] holding, List<StoreFilter> extra) {
    List<StoreFilter> filters = new ArrayList<>();
    filters.add(StoreFilters.excluded(holding));
    filters.add(StoreFilters.lowSpace(cluster));
    filters.add(StoreFilters.specialUse());
    filters.add(constraints == null ? StoreFilters.notExclusiveEngine()
        : StoreFilters.ruleConstraints(constraints));
    filters.add(StoreFilters.targetState(cluster));
    if (!labels.isEmpty() && !isolationLevel.isEmpty()) {
      filters.add(StoreFilters.isolation(isolationLevel, labels, coLocation));
    }
    filters.addAll(extra);
    List<Candidate> passed = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (StoreInfo s : stores) {
      StoreStatus st = cluster.storeStatus(s);
      if (st != null && passes(s, st, filters)) {
        Candidate c = new Candidate(s, st, LocationScores.distinctScore(labels, coLocation, s));
        passed.add(c);
        best = Math.max(best, c.distinct);
      }
    }
    if (req.dryRun()) {
      return List.copyOf(passed);
    }
    List<Candidate> out = new ArrayList<>(passed.size());
    for (Candidate c : passed) {
      if (c.distinct >= best) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /** The store ids of the region's peers, sorted (one memo key for any peer order). */
  private long[] peerStoreIds() {
    List<Metapb.Peer> peers = req.peers(region);
    long[] ids = new long[peers.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = peers.get(i).getStoreId();
    }
    Arrays.sort(ids);
    return ids;
  }

  /**
   * A store to replace the down or offline peer on {@code old}; the new location may be worse
   * than the old one (PD's {@code SelectStoreToFix}).
   */
  Choice selectStoreToFix(List<StoreInfo> regionStores, long old) {
    if (regionStores.isEmpty()) {
      return Choice.NONE;
    }
    List<StoreInfo> others = without(regionStores, old);
    return selectStoreToAdd(others.isEmpty() ? regionStores : others, List.of());
  }

  /** A store better isolated than {@code old}, to move its peer to (PD's SelectStoreToImprove). */
  Choice selectStoreToImprove(List<StoreInfo> regionStores, long old) {
    StoreInfo oldStore = cluster.store(old);
    if (regionStores.isEmpty() || oldStore == null) {
      return Choice.NONE;
    }
    List<StoreInfo> others = without(regionStores, old);
    if (labels.isEmpty() || LocationScores.distinctScore(labels, others, oldStore)
        >= others.size() * Math.pow(LocationScores.BASE, labels.size() - 1)) {
      // already apart from every other peer at the outermost level: no store can score higher,
      // so the answer is known without scoring every store
      if (req.dryRun()) {
        req.saw("store " + old + " is already as isolated as it can be");
      }
      return Choice.NONE;
    }
    List<StoreFilter> extra = new ArrayList<>();
    extra.add(StoreFilters.locationImprover(labels, regionStores, oldStore));
    if (!labels.isEmpty() && !isolationLevel.isEmpty()) {
      extra.add(StoreFilters.isolation(isolationLevel, labels, others));
    }
    return selectStoreToAdd(others, extra);
  }

  /**
   * The store whose peer is best removed: among those that may give one up, the worst isolated,
   * then the highest region score (PD's {@code SelectStoreToRemove}); 0 for none.
   */
  long selectStoreToRemove(List<StoreInfo> regionStores) {
    List<StoreFilter> source = StoreFilters.source(cluster);
    StoreInfo pick = null;
    double pickDistinct = 0;
    double pickScore = 0;
    for (StoreInfo s : regionStores) {
      StoreStatus st = cluster.storeStatus(s);
      if (st == null || !passes(s, st, source)) {
        continue;
      }
      double distinct = LocationScores.distinctScore(labels, regionStores, s);
      double score = regionScore(s);
      if (pick == null || distinct < pickDistinct
          || (distinct == pickDistinct && (score > pickScore
              || (score == pickScore && s.id() < pick.id())))) {
        pick = s;
        pickDistinct = distinct;
        pickScore = score;
      }
    }
    return pick == null ? 0 : pick.id();
  }

  private double regionScore(StoreInfo s) {
    return StoreScores.regionScore(s, cluster.storeRegionSize(s.id()));
  }

  private boolean passes(StoreInfo s, StoreStatus st, List<StoreFilter> filters) {
    for (StoreFilter f : filters) {
      if (!f.accepts(s, st)) {
        if (req.dryRun()) {
          req.rejected(s.id(), f.name(), f.why(s, st));
        }
        return false;
      }
    }
    return true;
  }

  private static List<StoreInfo> without(List<StoreInfo> stores, long id) {
    List<StoreInfo> out = new ArrayList<>(stores.size());
    for (StoreInfo s : stores) {
      if (s.id() != id) {
        out.add(s);
      }
    }
    return out;
  }

  /** A store that passed the permanent filters, its state and its isolation score. */
  record Candidate(StoreInfo store, StoreStatus status, double distinct) {}

  /**
   * Records why no target store was found ({@code forWhat} names the rule, or is empty); a
   * temporary reason marks the region for a retry soon.
   */
  static Operator noTarget(Choice choice, String forWhat, CheckRequest req) {
    if (choice.temporary()) {
      req.markRetryLater();
      req.reason(Reason.NO_TARGET_STORE,
          "every suitable store" + forWhat + " is temporarily unavailable; retried soon");
    } else {
      req.reason(Reason.NO_TARGET_STORE, "no store qualifies" + forWhat);
    }
    return null;
  }

  /** Builds a replica-kind operator, or records the builder's errors and returns null. */
  static Operator build(OperatorBuilder b, CheckerCluster cluster, CheckRequest req) {
    BuildResult<Operator> r = b.build(OpKind.REPLICA.bit(), cluster.clock().millis());
    if (!r.ok()) {
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
      return null;
    }
    return r.value();
  }
}
