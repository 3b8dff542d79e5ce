package dev.jpd.scheduler.operator;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test fixture: the cluster the controller sees, with one-line helpers. Peer ids are {@code
 * region id * 100 + store id}; regions start at version 10, conf_ver 10, 100 MiB (a full
 * store-limit step), keys {@code "r<id>"} to {@code "r<id>~"} unless set.
 */
final class FakeCluster implements ControllerCluster {
  private final Map<Long, RegionInfo> regions = new ConcurrentHashMap<>();
  private final Map<Long, StoreInfo> stores = new ConcurrentHashMap<>();

  @Override
  public RegionInfo region(long regionId) {
    return regions.get(regionId);
  }

  @Override
  public StoreInfo store(long storeId) {
    return stores.get(storeId);
  }

  FakeCluster addStores(long... ids) {
    for (long id : ids) {
      stores.put(id, StoreInfo.of(Metapb.Store.newBuilder().setId(id).setAddress("s" + id + ":20160")
          .setState(Metapb.StoreState.Up).setNodeState(Metapb.NodeState.Serving).build()));
    }
    return this;
  }

  void setStoreRemoving(long id) {
    StoreInfo s = stores.get(id);
    stores.put(id, s.withMeta(s.meta().toBuilder().setState(Metapb.StoreState.Offline)
        .setNodeState(Metapb.NodeState.Removing).build()));
  }

  /** Adds (or replaces) a region led by {@code leaderStore} with voters on the other stores. */
  RegionInfo addLeaderRegion(long id, long leaderStore, long... followerStores) {
    long[] voters = new long[followerStores.length + 1];
    voters[0] = leaderStore;
    System.arraycopy(followerStores, 0, voters, 1, followerStores.length);
    return put(Rg.of(id).voters(voters).leader(leaderStore));
  }

  RegionInfo put(Rg r) {
    RegionInfo info = r.build();
    regions.put(info.id(), info);
    return info;
  }

  void removeRegion(long id) {
    regions.remove(id);
  }

  /** A region heartbeat in one line: {@code Rg.of(1).voters(1, 2, 3).leader(1).confVer(11)}. */
  static final class Rg {
    private final long id;
    private String start;
    private String end;
    private long version = 10;
    private long confVer = 10;
    private long[] voters = {1, 2, 3};
    private long[] learners = {};
    private long[] incoming = {};
    private long[] demoting = {};
    private long[] pending = {};
    private long leader = 1;
    private long sizeMiB = 100;

    private Rg(long id) {
      this.id = id;
      this.start = "r" + id;
      this.end = "r" + id + "~";
    }

    static Rg of(long id) {
      return new Rg(id);
    }

    /** Starts from a region's current shape (keys, epoch, peers, leader, size). */
    static Rg from(RegionInfo r) {
      Rg g = new Rg(r.id());
      g.start = r.startKey().toStringUtf8();
      g.end = r.endKey().toStringUtf8();
      g.version = r.version();
      g.confVer = r.confVer();
      g.voters = r.voters().stream().mapToLong(Metapb.Peer::getStoreId).toArray();
      g.learners = r.learners().stream().mapToLong(Metapb.Peer::getStoreId).toArray();
      g.pending = r.pendingPeers().stream().mapToLong(Metapb.Peer::getStoreId).toArray();
      g.leader = r.leaderStoreId();
      g.sizeMiB = r.approximateSize();
      return g;
    }

    Rg keys(String s, String e) {
      start = s;
      end = e;
      return this;
    }

    Rg ver(long v) {
      version = v;
      return this;
    }

    Rg confVer(long v) {
      confVer = v;
      return this;
    }

    Rg voters(long... stores) {
      voters = stores;
      return this;
    }

    Rg learners(long... stores) {
      learners = stores;
      return this;
    }

    /** Joint state: peers on these stores are IncomingVoter (listed apart from voters). */
    Rg incoming(long... stores) {
      incoming = stores;
      return this;
    }

    /** Joint state: peers on these stores are DemotingVoter (listed apart from voters). */
    Rg demoting(long... stores) {
      demoting = stores;
      return this;
    }

    Rg pending(long... stores) {
      pending = stores;
      return this;
    }

    Rg leader(long store) {
      leader = store;
      return this;
    }

    Rg size(long mib) {
      sizeMiB = mib;
      return this;
    }

    static long peerId(long regionId, long storeId) {
      return regionId * 100 + storeId;
    }

    Metapb.Region meta() {
      Metapb.Region.Builder m = Metapb.Region.newBuilder().setId(id)
          .setStartKey(ByteString.copyFromUtf8(start)).setEndKey(ByteString.copyFromUtf8(end))
          .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setVersion(version).setConfVer(confVer));
      for (long s : voters) {
        m.addPeers(Metapb.Peer.newBuilder().setId(peerId(id, s)).setStoreId(s)
            .setRole(Metapb.PeerRole.Voter));
      }
      addPeers(m, learners, Metapb.PeerRole.Learner);
      addPeers(m, incoming, Metapb.PeerRole.IncomingVoter);
      addPeers(m, demoting, Metapb.PeerRole.DemotingVoter);
      return m.build();
    }

    private void addPeers(Metapb.Region.Builder m, long[] stores, Metapb.PeerRole role) {
      for (long s : stores) {
        m.addPeers(Metapb.Peer.newBuilder().setId(peerId(id, s)).setStoreId(s).setRole(role));
      }
    }

    RegionInfo build() {
      Metapb.Region m = meta();
      Pdpb.RegionHeartbeatRequest.Builder hb = Pdpb.RegionHeartbeatRequest.newBuilder()
          .setRegion(m).setApproximateSize(sizeMiB * 1024 * 1024);
      for (Metapb.Peer p : m.getPeersList()) {
        if (p.getStoreId() == leader) {
          hb.setLeader(p);
        }
        for (long s : pending) {
          if (p.getStoreId() == s) {
            hb.addPendingPeers(p);
          }
        }
      }
      return RegionInfo.fromHeartbeat(hb.build());
    }
  }
}
