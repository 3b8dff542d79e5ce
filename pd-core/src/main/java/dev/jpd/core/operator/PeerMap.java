package dev.jpd.core.operator;

import dev.jpd.proto.Metapb;
import java.util.Arrays;

/**
 * Peers of one region keyed by their store id, in ascending store-id order: what the builder
 * and its planners would otherwise keep in a {@code TreeMap<Long, Metapb.Peer>}. A region has at
 * most one peer per store, so the key is the peer's own {@code store_id}.
 *
 * <p>Design note. A region has 3–5 peers (rarely a few dozen), and a Down store makes one
 * operator per region it held, each building several of these, so this is a sorted array with a
 * linear search: no boxed keys, no entry objects, and a copy is one array copy. An empty map
 * shares an empty array until its first put. Iterate by index ({@link #peerAt}); the order is
 * the tree's, so plans stay deterministic. Not thread-safe.
 */
final class PeerMap {
  private static final Metapb.Peer[] NONE = {};

  private Metapb.Peer[] peers;
  private int size;

  PeerMap() {
    peers = NONE;
  }

  /** An empty map with room for {@code capacity} peers before it grows. */
  PeerMap(int capacity) {
    peers = capacity == 0 ? NONE : new Metapb.Peer[capacity];
  }

  private PeerMap(Metapb.Peer[] peers, int size) {
    this.peers = peers;
    this.size = size;
  }

  /** A copy with room for {@code extra} more peers before it grows. */
  PeerMap copy(int extra) {
    return new PeerMap(Arrays.copyOf(peers, size + Math.max(0, extra)), size);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The i-th peer by ascending store id. */
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

  /** Sets the peer of its store, replacing the one there. */
  void put(Metapb.Peer peer) {
    int i = indexOf(peer.getStoreId());
    if (i >= 0) {
      peers[i] = peer;
      return;
    }
    int at = -i - 1;
    if (size == peers.length) {
      peers = Arrays.copyOf(peers, Math.max(2, size * 2));
    }
    System.arraycopy(peers, at, peers, at + 1, size - at);
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
    System.arraycopy(peers, i + 1, peers, i, size - i - 1);
    peers[--size] = null;
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
      sb.append(peers[i].getStoreId());
    }
    return sb.append(']');
  }

  /** The index of the store, or {@code -(insertion point) - 1}, as a binary search answers. */
  private int indexOf(long store) {
    for (int i = 0; i < size; i++) {
      long s = peers[i].getStoreId();
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
