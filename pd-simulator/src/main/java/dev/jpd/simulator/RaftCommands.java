package dev.jpd.simulator;

import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * What a store's raftstore does with a {@code RegionHeartbeatResponse}: check it is meant for the
 * current leader and epoch, then propose the change, which applies one tick later.
 *
 * <p>Design note. TiKV refuses a command whose epoch is stale (conf changes check conf_ver, split
 * and merge check version), one sent to a peer that no longer leads, and a second conf change
 * while one is in flight; the PD resends the step with the next heartbeat, so a refusal only
 * costs time. A new peer (voter or learner) is added at once but stays pending until its
 * snapshot is sent, received and applied; the snapshot counts show on both stores' heartbeats
 * while it runs. Removing the leader, or leaving a joint state while the leader is demoting, is
 * refused as in TiKV: the PD must transfer the leader first. A ChangePeerV2 with exactly one
 * change is a simple conf change (raft-rs enters a joint state only for more than one).
 */
final class RaftCommands {
  private final SimCluster c;

  RaftCommands(SimCluster cluster) {
    this.c = cluster;
  }

  void handle(Pdpb.RegionHeartbeatResponse resp) {
    if (resp.hasHeader() && resp.getHeader().hasError()
        && resp.getHeader().getError().getType() != Pdpb.ErrorType.OK) {
      c.refuse("PD refused heartbeat of region " + resp.getRegionId() + ": "
          + resp.getHeader().getError().getMessage());
      return;
    }
    SimRegion r = c.regions.get(resp.getRegionId());
    if (r == null || r.removed) {
      c.refuse("command for unknown region " + resp.getRegionId());
      return;
    }
    if (resp.hasTargetPeer() && resp.getTargetPeer().getId() != r.leaderPeerId) {
      c.refuse("region " + r.id() + ": peer " + resp.getTargetPeer().getId() + " is not leader");
      return;
    }
    Metapb.RegionEpoch want = resp.getRegionEpoch();
    Metapb.RegionEpoch have = r.meta.getRegionEpoch();
    boolean confStale = resp.hasRegionEpoch() && want.getConfVer() != have.getConfVer();
    boolean versionStale = resp.hasRegionEpoch() && want.getVersion() != have.getVersion();
    if (resp.hasTransferLeader()) {
      transferLeader(r, resp.getTransferLeader());
    } else if (resp.hasChangePeer()) {
      if (!admit(r, confStale, "conf_ver")) {
        return;
      }
      changePeer(r, resp.getChangePeer());
    } else if (resp.hasChangePeerV2()) {
      if (!admit(r, confStale, "conf_ver")) {
        return;
      }
      changePeerV2(r, resp.getChangePeerV2().getChangesList());
    } else if (resp.hasSplitRegion()) {
      if (!admit(r, versionStale, "version")) {
        return;
      }
      c.countOperator("split");
      r.busy = true;
      c.after(c.config.tickMillis(), () -> {
        r.busy = false;
        if (!r.removed) {
          Pdpb.SplitRegion s = resp.getSplitRegion();
          c.split(r, s.getKeysCount() > 0 ? s.getKeysList()
              : Keys.cuts(r.meta.getStartKey(), r.meta.getEndKey(), 1));
        }
      });
    } else if (resp.hasMerge()) {
      if (!admit(r, versionStale || confStale, "epoch")) {
        return;
      }
      merge(r, resp.getMerge().getTarget());
    }
  }

  private boolean admit(SimRegion r, boolean stale, String what) {
    if (stale) {
      c.refuse("region " + r.id() + ": stale " + what + " in command");
      return false;
    }
    if (r.busy) {
      c.refuse("region " + r.id() + ": a change is already in flight");
      return false;
    }
    return true;
  }

  private void transferLeader(SimRegion r, Pdpb.TransferLeader t) {
    List<Metapb.Peer> targets = new ArrayList<>();
    targets.add(t.getPeer());
    targets.addAll(t.getPeersList());
    for (Metapb.Peer want : targets) {
      Metapb.Peer p = r.peer(want.getId());
      if (p != null && SimRegion.isVoter(p) && c.storeUp(p.getStoreId())
          && !r.pending.containsKey(p.getId()) && p.getId() != r.leaderPeerId) {
        c.countOperator("transfer-leader");
        long target = p.getId();
        c.after(c.config.tickMillis(), () -> {
          if (!r.removed && r.peer(target) != null && c.storeUp(r.peer(target).getStoreId())) {
            r.leaderPeerId = target;
            r.term++;
            r.dirty = true;
          }
        });
        return;
      }
    }
    c.refuse("region " + r.id() + ": no eligible transfer-leader target");
  }

  private void changePeer(SimRegion r, Pdpb.ChangePeer cp) {
    Metapb.Peer peer = cp.getPeer();
    Metapb.Peer existing = r.peer(peer.getId());
    ConfChangeType type = cp.getChangeType();
    if (type == ConfChangeType.RemoveNode) {
      if (existing == null) {
        return;
      }
      if (peer.getId() == r.leaderPeerId) {
        c.refuse("region " + r.id() + ": ignore remove leader peer " + peer.getId());
        return;
      }
      c.countOperator("remove-peer");
      apply(r, 1, () -> removePeer(r, peer.getId()));
    } else if (type == ConfChangeType.AddNode) {
      if (existing != null && existing.getRole() == Metapb.PeerRole.Voter) {
        return;
      }
      c.countOperator(existing != null ? "promote-learner" : "add-voter");
      apply(r, 1, () -> setPeer(r, peer.toBuilder().setRole(Metapb.PeerRole.Voter).build()));
    } else if (type == ConfChangeType.AddLearnerNode) {
      if (existing != null) {
        return;
      }
      c.countOperator("add-learner");
      apply(r, 1, () -> setPeer(r, peer.toBuilder().setRole(Metapb.PeerRole.Learner).build()));
    }
  }

  private void changePeerV2(SimRegion r, List<Pdpb.ChangePeer> changes) {
    if (changes.isEmpty()) {
      if (!r.inJointState()) {
        return;
      }
      Metapb.Peer leader = r.leader();
      if (leader != null && leader.getRole() == Metapb.PeerRole.DemotingVoter) {
        c.refuse("region " + r.id() + ": leader is demoting, cannot leave joint state");
        return;
      }
      c.countOperator("leave-joint");
      int changed = 0;
      for (Metapb.Peer p : r.meta.getPeersList()) {
        if (p.getRole() == Metapb.PeerRole.IncomingVoter || p.getRole() == Metapb.PeerRole.DemotingVoter) {
          changed++;
        }
      }
      apply(r, changed, () -> {
        for (Metapb.Peer p : new ArrayList<>(r.meta.getPeersList())) {
          if (p.getRole() == Metapb.PeerRole.IncomingVoter) {
            setPeer(r, p.toBuilder().setRole(Metapb.PeerRole.Voter).build());
          } else if (p.getRole() == Metapb.PeerRole.DemotingVoter) {
            setPeer(r, p.toBuilder().setRole(Metapb.PeerRole.Learner).build());
          }
        }
      });
      return;
    }
    if (r.inJointState()) {
      c.refuse("region " + r.id() + ": already in joint state");
      return;
    }
    if (changes.size() == 1) {
      // As raft-rs: a V2 conf change with one change is a simple one, never joint. The PD sends
      // every simple change this way once the cluster speaks ConfChangeV2.
      changePeer(r, changes.get(0));
      return;
    }
    c.countOperator("enter-joint");
    apply(r, changes.size(), () -> {
      for (Pdpb.ChangePeer cp : changes) {
        Metapb.Peer existing = r.peer(cp.getPeer().getId());
        switch (cp.getChangeType()) {
          case AddNode -> setPeer(r, cp.getPeer().toBuilder().setRole(Metapb.PeerRole.IncomingVoter).build());
          case AddLearnerNode -> setPeer(r, cp.getPeer().toBuilder()
              .setRole(existing != null && SimRegion.isVoter(existing)
                  ? Metapb.PeerRole.DemotingVoter : Metapb.PeerRole.Learner)
              .build());
          case RemoveNode -> removePeer(r, cp.getPeer().getId());
          default -> { }
        }
      }
    });
  }

  /** Proposes a conf change: one tick later it applies, conf_ver moves by {@code confVerDelta}. */
  private void apply(SimRegion r, int confVerDelta, Runnable change) {
    r.busy = true;
    c.after(c.config.tickMillis(), () -> {
      r.busy = false;
      if (r.removed) {
        return;
      }
      change.run();
      Metapb.RegionEpoch e = r.meta.getRegionEpoch();
      r.meta = r.meta.toBuilder()
          .setRegionEpoch(e.toBuilder().setConfVer(e.getConfVer() + confVerDelta))
          .build();
      r.dirty = true;
    });
  }

  /** Adds or replaces a peer; a peer new to the region gets a snapshot from the leader's store. */
  private void setPeer(SimRegion r, Metapb.Peer peer) {
    List<Metapb.Peer> peers = new ArrayList<>(r.meta.getPeersList());
    boolean replaced = false;
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).getId() == peer.getId()) {
        peers.set(i, peer);
        replaced = true;
      }
    }
    if (!replaced) {
      peers.add(peer);
      startSnapshot(r, peer);
    }
    r.meta = r.meta.toBuilder().clearPeers().addAllPeers(peers).build();
  }

  private void removePeer(SimRegion r, long peerId) {
    List<Metapb.Peer> peers = new ArrayList<>(r.meta.getPeersList());
    peers.removeIf(p -> p.getId() == peerId);
    r.meta = r.meta.toBuilder().clearPeers().addAllPeers(peers).build();
    r.pending.remove(peerId);
  }

  /**
   * Sending and receiving take size / rate (at least a tick); applying takes one more tick. The
   * peer is pending from the conf change until the snapshot is applied.
   */
  private void startSnapshot(SimRegion r, Metapb.Peer peer) {
    SimStore from = c.stores.get(r.leader().getStoreId());
    SimStore to = c.stores.get(peer.getStoreId());
    r.pending.put(peer.getId(), from.id);
    from.sending++;
    if (to != null) {
      to.receiving++;
      to.snapshotsChanged();
    }
    from.snapshotsChanged();
    long transfer = Math.max(c.config.tickMillis(),
        r.size * 1000 / Math.max(1, c.config.snapshotBytesPerSecond()));
    c.after(transfer, () -> {
      from.sending--;
      if (to != null) {
        to.receiving--;
        to.applying++;
        to.snapshotsChanged();
      }
      c.after(c.config.tickMillis(), () -> {
        if (to != null) {
          to.applying--;
        }
        if (r.pending.remove(peer.getId()) != null) {
          r.dirty = true;
        }
      });
    });
  }

  /**
   * Prepare merge on the source (+1 version, +1 conf_ver), then commit on the target one tick
   * later: the target takes the source's range and version max(source, target) + 1; the source
   * is gone. Refused unless the two are adjacent and have peers on the same stores.
   */
  private void merge(SimRegion source, Metapb.Region targetMeta) {
    SimRegion target = c.regions.get(targetMeta.getId());
    if (target == null || target.removed || target.busy) {
      c.refuse("region " + source.id() + ": merge target " + targetMeta.getId() + " unavailable");
      return;
    }
    boolean leftOfTarget = source.meta.getEndKey().equals(target.meta.getStartKey());
    boolean rightOfTarget = target.meta.getEndKey().equals(source.meta.getStartKey());
    if (!(leftOfTarget || rightOfTarget) || !sameStores(source, target)) {
      c.refuse("region " + source.id() + ": cannot merge into " + target.id());
      return;
    }
    c.countOperator("merge");
    source.busy = true;
    target.busy = true;
    c.after(c.config.tickMillis(), () -> {
      Metapb.RegionEpoch se = source.meta.getRegionEpoch();
      source.meta = source.meta.toBuilder().setRegionEpoch(
          se.toBuilder().setVersion(se.getVersion() + 1).setConfVer(se.getConfVer() + 1)).build();
      source.dirty = true; // TiKV's leader reports the source at once after PrepareMerge
      c.after(c.config.tickMillis(), () -> {
        long version = Math.max(source.meta.getRegionEpoch().getVersion(),
            target.meta.getRegionEpoch().getVersion()) + 1;
        Metapb.Region.Builder b = target.meta.toBuilder();
        if (leftOfTarget) {
          b.setStartKey(source.meta.getStartKey());
        } else {
          b.setEndKey(source.meta.getEndKey());
        }
        b.setRegionEpoch(target.meta.getRegionEpoch().toBuilder().setVersion(version));
        target.meta = b.build();
        target.size += source.size;
        target.keys += source.keys;
        target.busy = false;
        target.dirty = true;
        source.removed = true;
      });
    });
  }

  private static boolean sameStores(SimRegion a, SimRegion b) {
    if (a.meta.getPeersCount() != b.meta.getPeersCount()) {
      return false;
    }
    for (Metapb.Peer p : a.meta.getPeersList()) {
      if (b.peerOnStore(p.getStoreId()) == null) {
        return false;
      }
    }
    return true;
  }
}
