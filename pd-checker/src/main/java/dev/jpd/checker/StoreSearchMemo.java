package dev.jpd.checker;

import dev.jpd.core.placement.LabelConstraint;
import dev.jpd.core.store.StoreInfo;
import java.util.List;
import java.util.Objects;

/**
 * The region-independent first stage of {@link ReplicaStrategy}'s store search, remembered for
 * one patrol moment: the stores that pass the permanent filters with the best isolation score.
 *
 * <p>Design note. When a store turns Down, thousands of its regions ask the same question
 * ("which store can take a replica, isolated from these two?") within a few milliseconds. The
 * first stage reads only: the store list, each store's classification and low-space answer, the
 * location labels, isolation level and label constraints, the co-located stores and the stores
 * excluded (those holding a peer of the region). Classification is a pure function of the store
 * snapshot, the clock millisecond and the config, low space of the store snapshot, the config and
 * the region count ({@link CacheCheckerCluster}). So an answer is reused only when all of these
 * are the same:
 *
 * <ul>
 *   <li>the {@link Moment}: the store list object ({@code StoresInfo.all()} returns a new one
 *       after any store write), the clock millisecond, the config object and the region count;
 *   <li>the key: labels, level and constraints (equal lists), the co-located store snapshots (the
 *       same objects, in order) and the excluded store ids (sorted by the caller).
 * </ul>
 *
 * The time bucket is one millisecond, the classification cache's own, so the answer is exactly
 * the one a full search would give. A moment that changed while the stage ran is not stored. The
 * second stage (temporary filters, region scores) is never remembered, and dry runs never use the
 * memo: they record every rejected store and why.
 *
 * <p>Threads: slots are two-way set-associative by the key's hash and hold immutable entries, so a racy
 * read sees a whole entry or an older one; every hit is checked against the whole key and moment.
 * A lost write only costs a recomputation.
 */
final class StoreSearchMemo {
  private static final int SLOTS = 64;
  private static final int SLOT_SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS);
  private final Entry[] slots = new Entry[SLOTS];

  /** What the first stage reads besides its key; equal moments give equal answers. */
  record Moment(List<StoreInfo> stores, long nowMillis, CheckerConfig config, int regionCount) {
    static Moment of(CheckerCluster cluster) {
      return new Moment(cluster.stores(), cluster.clock().millis(), cluster.config(),
          cluster.regionCount());
    }

    boolean same(Moment o) {
      return stores == o.stores && nowMillis == o.nowMillis && config == o.config
          && regionCount == o.regionCount;
    }
  }

  /** The search's key: everything the first stage reads that is not in the {@link Moment}. */
  static final class Key {
    private final List<String> labels;
    private final String level;
    private final List<LabelConstraint> constraints;
    private final List<StoreInfo> coLocation;
    private final long[] excluded;
    private final int hash;

    Key(List<String> labels, String level, List<LabelConstraint> constraints,
        List<StoreInfo> coLocation, long[] excluded) {
      this.labels = labels;
      this.level = level;
      this.constraints = constraints;
      this.coLocation = coLocation;
      this.excluded = excluded;
      int h = System.identityHashCode(labels) * 31 + System.identityHashCode(constraints);
      for (StoreInfo s : coLocation) {
        h = h * 31 + Long.hashCode(s.id());
      }
      for (long id : excluded) {
        h = h * 17 + Long.hashCode(id);
      }
      this.hash = h * 0x9E3779B9; // Fibonacci hashing: the slot comes from the high bits
    }

    /** This key with its own copy of the co-located list, for keeping. */
    private Key kept() {
      return new Key(labels, level, constraints, List.copyOf(coLocation), excluded);
    }

    private boolean same(Key o) {
      if (hash != o.hash || excluded.length != o.excluded.length
          || coLocation.size() != o.coLocation.size()) {
        return false;
      }
      for (int i = 0; i < excluded.length; i++) {
        if (excluded[i] != o.excluded[i]) {
          return false;
        }
      }
      for (int i = 0; i < coLocation.size(); i++) {
        if (coLocation.get(i) != o.coLocation.get(i)) {
          return false;
        }
      }
      return Objects.equals(labels, o.labels) && Objects.equals(level, o.level)
          && Objects.equals(constraints, o.constraints);
    }
  }

  private record Entry(Moment moment, Key key, List<ReplicaStrategy.Candidate> best) {}

  /** The remembered best candidates for this moment and key, or null. */
  List<ReplicaStrategy.Candidate> get(Moment moment, Key key) {
    int slot = key.hash >>> SLOT_SHIFT;
    Entry e = slots[slot];
    if (e != null && e.moment.same(moment) && e.key.same(key)) {
      return e.best;
    }
    e = slots[slot ^ 1];
    if (e != null && e.moment.same(moment) && e.key.same(key)) {
      return e.best;
    }
    return null;
  }

  /**
   * Remembers {@code best} (immutable) for the moment and key: in the key's slot, or in its pair
   * slot when the first holds another key of the same moment (two-way, so that two keys in use
   * together do not evict each other).
   */
  void put(Moment moment, Key key, List<ReplicaStrategy.Candidate> best) {
    int slot = key.hash >>> SLOT_SHIFT;
    Entry first = slots[slot];
    if (first != null && first.moment.same(moment) && !first.key.same(key)) {
      slot ^= 1;
    }
    slots[slot] = new Entry(moment, key.kept(), best);
  }
}
