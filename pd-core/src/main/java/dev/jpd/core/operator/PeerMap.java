package dev.jpd.core.operator;

import dev.jpd.proto.Metapb;
import java.util.Arrays;

/**
 * A region's peers keyed and ordered by store id: what the builder and its planners would
 * otherwise keep in a {@code TreeMap<Long, Metapb.Peer>}.
 *
 * <p>Design note. A region has 3–5 peers (rarely a few dozen), and a burst of replace-peer
 * operators builds several of these maps per operator, so they are sorted parallel arrays with
 * a linear search: no boxed keys, no entry objects, and a copy is two array copies. An empty map
 * shares empty arrays until its first put. Iterate by index ({@link #storeAt}, {@link #peerAt});
 * the order is ascending store id, as the tree's was, so plans stay deterministic. Not
 * thread-safe.
 */
final class PeerMap {
  private static final long[] NO_STORES = {};
  private static final Metapb.Peer[] NO_PEERS = {};

  private long[] stores;
  private Metapb.Peer[] peers;
  private int size;

  PeerMap() {
    stores = NO_STORES;
    peers = NO_PEERS;
  }

  private PeerMap(long[] stores, Metapb.Peer[] peers, int size) {
    this.stores = stores;
    this.peers = peers;
    this.size = size;
  }

  /** A copy with room for {@code extra} more peers before it grows. */
  PeerMap copy(int extra) {
    int capacity = size + Math.max(0, extra);
    return new PeerMap(Arrays.copyOf(stores, capacity), Arrays.copyOf(peers, capacity), size);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long storeAt(int i) {
    return stores[i];
  }

  Metapb.Peer peerAt(int i) {
    return peers[i];
  }

  /** The peer on the store, or null. */
  Metapb.Peer get(long store) {
    int i = indexOf(store);
    return i >= 0 ? peers[i] : null;
  }

  boolean containsKey(long store) {
    return indexOf(store) >= 0;
  }

  /** Sets the store's peer, replacing the one there. */
  void put(long store, Metapb.Peer peer) {
    int i = indexOf(store);
    if (i >= 0) {
      peers[i] = peer;
      return;
    }
    int at = -i - 1;
    if (size == stores.length) {
      int capacity = Math.max(4, size * 2);
      stores = Arrays.copyOf(stores, capacity);
      peers = Arrays.copyOf(peers, capacity);
    }
    System.arraycopy(stores, at, stores, at + 1, size - at);
    System.arraycopy(peers, at, peers, at + 1, size - at);
    stores[at] = store;
    peers[at] = peer;
    size++;
  }

  /** Removes the store's peer; returns it, or null when there was none. */
  Metapb.Peer remove(long store) {
    int i = indexOf(store);
    if (i < 0) {
      return null;
    }
    Metapb.Peer old = peers[i];
    System.arraycopy(stores, i + 1, stores, i, size - i - 1);
    System.arraycopy(peers, i + 1, peers, i, size - i - 1);
    size--;
    peers[size] = null;
    return old;
  }

  void clear() {
    Arrays.fill(peers, 0, size, null);
    size = 0;
  }

  /** The store ids as a brief lists them: {@code [1 4]} (a tree's key set, commas dropped). */
  StringBuilder appendStores(StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(stores[i]);
    }
    return sb.append(']');
  }

  /** The index of the store, or {@code -(insertion point) - 1}, as a binary search answers. */
  private int indexOf(long store) {
    for (int i = 0; i < size; i++) {
      long s = stores[i];
      if (s == store) {
        return i;
      }
      if (s > store) {
        return -i - 1;
      }
    }
    return -size - 1;
  }
}
