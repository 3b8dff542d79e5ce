package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import java.util.HashMap;
import java.util.Map;

/**
 * One region as its raft group sees it: the meta (range, epoch, peers with roles), which peer
 * leads, the term, the approximate size and keys, the flow since the last report, and which
 * peers are still waiting for a snapshot (pending). Touched by the driver thread only.
 */
final class SimRegion {
  Metapb.Region meta;
  long leaderPeerId;
  long term = 1;
  long size;
  long keys;
  long bytesWritten;
  long keysWritten;
  long bytesRead;
  long keysRead;
  long lastReportMillis;
  /** Peer id to the store that is sending it a snapshot; removed when the snapshot is applied. */
  final Map<Long, Long> pending = new HashMap<>();
  /** A conf change, split or merge is in flight: TiKV refuses a second proposal meanwhile. */
  boolean busy;
  /** Set by a change the PD must hear about at once. */
  boolean dirty;
  boolean removed;

  SimRegion(Metapb.Region meta, long leaderPeerId, long size, long keys) {
    this.meta = meta;
    this.leaderPeerId = leaderPeerId;
    this.size = size;
    this.keys = keys;
  }

  long id() {
    return meta.getId();
  }

  Metapb.Peer leader() {
    return peer(leaderPeerId);
  }

  Metapb.Peer peer(long peerId) {
    for (Metapb.Peer p : meta.getPeersList()) {
      if (p.getId() == peerId) {
        return p;
      }
    }
    return null;
  }

  Metapb.Peer peerOnStore(long storeId) {
    for (Metapb.Peer p : meta.getPeersList()) {
      if (p.getStoreId() == storeId) {
        return p;
      }
    }
    return null;
  }

  static boolean isVoter(Metapb.Peer p) {
    return p.getRole() == Metapb.PeerRole.Voter || p.getRole() == Metapb.PeerRole.IncomingVoter;
  }

  boolean inJointState() {
    for (Metapb.Peer p : meta.getPeersList()) {
      if (p.getRole() == Metapb.PeerRole.IncomingVoter
          || p.getRole() == Metapb.PeerRole.DemotingVoter) {
        return true;
      }
    }
    return false;
  }
}
