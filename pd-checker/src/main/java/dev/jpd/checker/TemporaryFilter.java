package dev.jpd.checker;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoreStatus;

/**
 * The second stage of a target search (PD's temporary target filters): states that keep a store
 * from taking a replica right now, so that a short-lived state does not pick a worse location.
 *
 * <p>Unlike the permanent {@link StoreFilter}s, these run for every candidate of every region the
 * checkers repair (the ten or so best-isolated stores each time, 150,000 regions when a big store
 * goes Down), so they are plain code over the cluster view: no filter objects per region, no
 * call through a lambda per candidate. The words for a no are built only for a dry run.
 */
enum TemporaryFilter {
  EXCEED_ADD_LIMIT("exceed-add-limit"),
  DISCONNECTED("disconnected"),
  BUSY("busy"),
  SNAPSHOTS("snapshots"),
  PENDING_PEERS("pending-peers");

  private final String filterName;

  TemporaryFilter(String filterName) {
    this.filterName = filterName;
  }

  /** The name in a diagnosis, as {@link StoreFilter#name()}. */
  String filterName() {
    return filterName;
  }

  /**
   * The first filter the store fails, in the order above, for a region of {@code regionSizeMiB};
   * null when the store may take the replica now.
   */
  static TemporaryFilter firstFailing(CheckerCluster cluster, long regionSizeMiB, StoreInfo s,
      StoreStatus st) {
    if (!cluster.addPeerAvailable(s.id(), regionSizeMiB)) {
      return EXCEED_ADD_LIMIT;
    }
    if (st.disconnected()) {
      return DISCONNECTED;
    }
    if (s.stats().getIsBusy()) {
      return BUSY;
    }
    if (!StoreFilters.snapshotsWithin(cluster, s)) {
      return SNAPSHOTS;
    }
    long maxPending = cluster.config().maxPendingPeerCount();
    if (maxPending > 0 && cluster.storePendingPeerCount(s.id()) > maxPending) {
      return PENDING_PEERS;
    }
    return null;
  }

  /** Why the store fails this filter, with the values. */
  String why(CheckerCluster cluster, long regionSizeMiB, StoreInfo s, StoreStatus st) {
    return switch (this) {
      case EXCEED_ADD_LIMIT -> "add-peer store limit has no tokens now for a region of "
          + regionSizeMiB + " MiB (store-limit)";
      case DISCONNECTED -> "disconnected: silent for " + st.downMillis() / 1000 + "s";
      case BUSY -> "store reports busy";
      case SNAPSHOTS -> StoreFilters.snapshotsWhy(cluster, s);
      case PENDING_PEERS -> "too many pending peers: " + cluster.storePendingPeerCount(s.id())
          + " > max-pending-peer-count " + cluster.config().maxPendingPeerCount();
    };
  }
}
