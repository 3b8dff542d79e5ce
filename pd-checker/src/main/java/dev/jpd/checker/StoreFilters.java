package dev.jpd.checker;

import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * The store filters of PD's {@code pkg/schedule/filter} that the replica checker uses. Target
 * filters come in two groups, as in PD's two-stage selection: permanent ones (the store cannot
 * take the replica) and temporary ones (it cannot take it now: disconnected, busy, snapshots,
 * pending peers), so that a short-lived state does not pick a worse location.
 */
final class StoreFilters {
  private StoreFilters() {}

  static StoreFilter of(String name, BiPredicate<StoreInfo, StoreStatus> accepts,
      BiFunction<StoreInfo, StoreStatus, String> why) {
    return new StoreFilter() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean accepts(StoreInfo store, StoreStatus status) {
        return accepts.test(store, status);
      }

      @Override
      public String why(StoreInfo store, StoreStatus status) {
        return why.apply(store, status);
      }
    };
  }

  /** Stores already holding a peer of the region. */
  static StoreFilter excluded(long[] storeIds) {
    return of("exclude", (s, st) -> {
      for (long id : storeIds) {
        if (id == s.id()) {
          return false;
        }
      }
      return true;
    },
        (s, st) -> "already holds a peer of the region");
  }

  /** Tombstone, Offline and Down stores never take a replica. */
  static StoreFilter targetState(CheckerCluster cluster) {
    return of("store-state",
        (s, st) -> st.state() == Metapb.StoreState.Up && !st.down(),
        (s, st) -> st.state() != Metapb.StoreState.Up ? "store is " + st.stateName()
            : "store is down: silent for " + st.downMillis() / 1000 + "s (max-store-down-time "
                + cluster.config().maxStoreDownTime() + ")");
  }

  /** A store low on space ({@code low-space-ratio}) takes no new replica. */
  static StoreFilter lowSpace(CheckerCluster cluster) {
    return of("low-space", (s, st) -> !cluster.lowSpace(s),
        (s, st) -> "low space: available " + s.stats().getAvailable() + " of capacity "
            + s.stats().getCapacity() + " bytes (low-space-ratio "
            + cluster.config().lowSpaceRatio() + ")");
  }

  /**
   * Stores reserved for a special use (label {@code specialUse} = {@code hotRegion} or {@code
   * reserved}) never get a replica from the checkers (PD's special-use filter).
   */
  static StoreFilter specialUse() {
    return of("special-use", (s, st) -> specialUse(s) == null,
        (s, st) -> "special-use store (" + specialUse(s) + ")");
  }

  private static String specialUse(StoreInfo s) {
    String use = LocationScores.labelValue(s, "specialUse");
    return use.equals("hotRegion") || use.equals("reserved") ? "specialUse=" + use : null;
  }

  /**
   * TiFlash stores (label {@code engine=tiflash}: columnar learners placed by rules that name the
   * engine) never get a replica from the replica checker, which has no rules. The rule checker
   * leaves the engine to {@link #ruleConstraints}.
   */
  static StoreFilter notExclusiveEngine() {
    return of("engine", (s, st) -> !LabelConstraint.exclusiveEngine(engine(s)),
        (s, st) -> "engine=" + engine(s) + " takes replicas only from rules that name the engine");
  }

  private static String engine(StoreInfo s) {
    for (Metapb.StoreLabel l : s.meta().getLabelsList()) {
      if (l.getKey().equals(LabelConstraint.ENGINE_KEY)) {
        return l.getValue();
      }
    }
    return null;
  }

  /** A store sending or receiving more than {@code max-snapshot-count} snapshots. */
  static StoreFilter snapshots(CheckerCluster cluster) {
    return of("snapshots", (s, st) -> snapshotsWithin(cluster, s),
        (s, st) -> snapshotsWhy(cluster, s));
  }

  /** Whether the store sends and receives at most {@code max-snapshot-count} snapshots. */
  static boolean snapshotsWithin(CheckerCluster cluster, StoreInfo s) {
    long max = cluster.config().maxSnapshotCount();
    return s.stats().getSendingSnapCount() <= max && s.stats().getReceivingSnapCount() <= max;
  }

  static String snapshotsWhy(CheckerCluster cluster, StoreInfo s) {
    return "too many snapshots: sending " + s.stats().getSendingSnapCount() + ", receiving "
        + s.stats().getReceivingSnapCount() + " (max-snapshot-count "
        + cluster.config().maxSnapshotCount() + ")";
  }

  /**
   * A store that may give up a replica now (PD's region-source conditions): not busy, not
   * snapshotting. A Down or Offline store may: removing its peer is the point.
   */
  static List<StoreFilter> source(CheckerCluster cluster) {
    List<StoreFilter> f = new ArrayList<>();
    f.add(of("busy", (s, st) -> !s.stats().getIsBusy(), (s, st) -> "store reports busy"));
    f.add(snapshots(cluster));
    return f;
  }

  /**
   * {@code isolation-level}: the target must not share the location, down to that level, with
   * any of {@code coLocation} (PD: a level not among the labels counts as the first one; with no
   * co-located store nothing qualifies).
   */
  static StoreFilter isolation(String level, List<String> labels, List<StoreInfo> coLocation) {
    int idx = Math.max(0, indexOfIgnoreCase(labels, level));
    List<List<String>> taken = new ArrayList<>();
    for (StoreInfo s : coLocation) {
      taken.add(prefix(s, labels, idx));
    }
    return of("isolation", (s, st) -> !taken.isEmpty() && !taken.contains(prefix(s, labels, idx)),
        (s, st) -> taken.isEmpty() ? "no peer to be isolated from"
            : "same " + level + " as a peer " + prefix(s, labels, idx)
                + " (isolation-level " + level + ")");
  }

  /**
   * The target must be better isolated than {@code old} from the region's other stores (PD's
   * LocationImprover: both scores against {@code regionStores} without {@code old}).
   */
  static StoreFilter locationImprover(List<String> labels, List<StoreInfo> regionStores,
      StoreInfo old) {
    List<StoreInfo> others = new ArrayList<>(regionStores.size());
    for (StoreInfo s : regionStores) {
      if (s.id() != old.id()) {
        others.add(s);
      }
    }
    double safe = LocationScores.distinctScore(labels, others, old);
    return of("location-improver",
        (s, st) -> LocationScores.distinctScore(labels, others, s) > safe,
        (s, st) -> "isolation score " + LocationScores.distinctScore(labels, others, s)
            + " not above " + safe + " of store " + old.id());
  }

  private static List<String> prefix(StoreInfo s, List<String> labels, int idx) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i <= idx; i++) {
      p.add(LocationScores.labelValue(s, labels.get(i)).toLowerCase(Locale.ROOT));
    }
    return p;
  }

  private static int indexOfIgnoreCase(List<String> labels, String level) {
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).equalsIgnoreCase(level)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Stores whose labels satisfy a placement rule's label constraints ({@link
   * LabelConstraint#matchesAll}: a TiFlash store only for a rule that names the engine).
   */
  static StoreFilter ruleConstraints(List<LabelConstraint> cs) {
    return of("rule-constraints",
        // no constraint (the default rule): only the engine label is read, no label map built
        (s, st) -> cs.isEmpty() ? !LabelConstraint.exclusiveEngine(engine(s))
            : LabelConstraint.matchesAll(labelsOf(s), cs),
        (s, st) -> "labels " + labelsOf(s) + " do not match the rule's constraints " + cs
            + (cs.isEmpty() ? " (engine=" + engine(s) + " needs a rule naming it)" : ""));
  }

  /** A store's labels as a map. */
  static Map<String, String> labelsOf(StoreInfo s) {
    Map<String, String> m = new HashMap<>();
    for (Metapb.StoreLabel l : s.meta().getLabelsList()) {
      m.put(l.getKey(), l.getValue());
    }
    return m;
  }
}
