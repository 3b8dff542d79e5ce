package dev.jpd.checker;

import dev.jpd.core.testing.TestClock;

import com.google.protobuf.ByteString;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.region.RegionsInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.core.store.StoresInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Test fixture: a cluster of real region and store caches behind the real {@link
 * CacheCheckerCluster}, with one-line helpers. Stores heartbeat "now" when added (Up, 1 TiB,
 * half free). Region {@code id} spans [k(id), k(id+1)) so consecutive ids are neighbours; a peer
 * spec is {@code "1* 2 3"}: store ids, {@code *} leader, {@code !} reported down, {@code ~}
 * pending, prefix {@code L} learner, {@code I} incoming voter, {@code D} demoting voter. Peer id =
 * region id × 1000 + store id.
 */
public final class FakeCluster {
  public final TestClock clock = new TestClock(1_000L * 86_400_000L);
  public final RegionsInfo regions = new RegionsInfo();
  public final StoresInfo stores = new StoresInfo();
  public final Set<Long> denied = new HashSet<>();
  public final Set<Long> hot = new HashSet<>();
  public final Set<Long> mergeDenied = new HashSet<>();
  public final Map<Long, String> storeLimited = new HashMap<>();
  /** Stores whose add-peer store limit has no tokens. */
  public final Set<Long> addPeerLimited = new HashSet<>();
  public final Map<Long, List<byte[]>> labelSplitKeys = new HashMap<>();
  private final AtomicLong peerIds = new AtomicLong(1_000_000);
  private volatile CheckerConfig config = CheckerConfig.defaults();
  private boolean joint = true;
  public final CacheCheckerCluster view;

  public FakeCluster() {
    ClusterSeams seams = new ClusterSeams() {
      @Override
      public boolean scheduleDenied(RegionInfo region) {
        // as the real labeler, which answers at once when there are no label rules
        return !denied.isEmpty() && denied.contains(region.id());
      }

      @Override
      public boolean mergeDenied(RegionInfo region, RegionInfo adjacent) {
        return mergeDenied.contains(region.id()) || mergeDenied.contains(adjacent.id());
      }

      @Override
      public List<byte[]> labelSplitKeys(RegionInfo region) {
        return labelSplitKeys.isEmpty() ? List.of()
            : labelSplitKeys.getOrDefault(region.id(), List.of());
      }

      @Override
      public boolean isHot(RegionInfo region) {
        return hot.contains(region.id());
      }

      @Override
      public String storeLimitExceeded(Operator op) {
        return storeLimited.get(op.regionId());
      }

      @Override
      public boolean addPeerAvailable(long storeId, long regionSizeMiB) {
        return addPeerLimited.isEmpty() || !addPeerLimited.contains(storeId);
      }
    };
    view = new CacheCheckerCluster(regions, stores, () -> config, peerIds::getAndIncrement,
        () -> joint, clock, 0, seams);
  }

  public static ByteString key(long id) {
    return ByteString.copyFromUtf8(String.format("k%08d", id));
  }

  public FakeCluster config(UnaryOperator<CheckerConfig.Builder> change) {
    config = change.apply(config.toBuilder()).build();
    return this;
  }

  public CheckerConfig config() {
    return config;
  }

  public FakeCluster joint(boolean on) {
    joint = on;
    return this;
  }

  /** Adds Up stores heartbeating now. */
  public FakeCluster addStores(long... ids) {
    for (long id : ids) {
      addStore(id);
    }
    return this;
  }

  /** An Up store heartbeating now, with labels as "key=value" pairs. */
  public FakeCluster addStore(long id, String... labels) {
    Metapb.Store.Builder m = Metapb.Store.newBuilder().setId(id).setAddress("s" + id)
        .setState(Metapb.StoreState.Up).setNodeState(Metapb.NodeState.Serving);
    for (String l : labels) {
      String[] kv = l.split("=", 2);
      m.addLabels(Metapb.StoreLabel.newBuilder().setKey(kv[0]).setValue(kv[1]));
    }
    stores.put(StoreInfo.of(m.build()).withStats(stats(id).build(), clock.millis()));
    return this;
  }

  private static Pdpb.StoreStats.Builder stats(long id) {
    return Pdpb.StoreStats.newBuilder().setStoreId(id).setCapacity(1L << 40)
        .setAvailable(1L << 39);
  }

  private FakeCluster updateStats(long id, UnaryOperator<Pdpb.StoreStats.Builder> change,
      long heartbeatMillis) {
    stores.update(id, s -> s.withStats(change.apply(s.stats().toBuilder()).build(),
        heartbeatMillis));
    return this;
  }

  /** The store last heartbeat {@code ago} before now. */
  public FakeCluster setStoreSilent(long id, Duration ago) {
    return updateStats(id, b -> b, clock.millis() - ago.toMillis());
  }

  /** Silent for longer than max-store-down-time. */
  public FakeCluster setStoreDown(long id) {
    return setStoreSilent(id, config.maxStoreDownTime().plusMinutes(1));
  }

  public FakeCluster setStoreDisconnected(long id) {
    return setStoreSilent(id, Duration.ofSeconds(30));
  }

  public FakeCluster setStoreOffline(long id) {
    stores.update(id, s -> s.withMeta(s.meta().toBuilder().setState(Metapb.StoreState.Offline)
        .setNodeState(Metapb.NodeState.Removing).build()));
    return this;
  }

  public FakeCluster setStoreTombstone(long id) {
    stores.update(id, s -> s.withMeta(s.meta().toBuilder().setState(Metapb.StoreState.Tombstone)
        .setNodeState(Metapb.NodeState.Removed).build()));
    return this;
  }

  public FakeCluster setStoreBusy(long id) {
    return updateStats(id, b -> b.setIsBusy(true), clock.millis());
  }

  public FakeCluster setStoreLowSpace(long id) {
    return updateStats(id, b -> b.setAvailable(1L << 30), clock.millis());
  }

  public FakeCluster setStoreSnapshots(long id, int receiving) {
    return updateStats(id, b -> b.setReceivingSnapCount(receiving), clock.millis());
  }

  public FakeCluster setStoreLabels(long id, String... labels) {
    stores.update(id, s -> {
      Metapb.Store.Builder m = s.meta().toBuilder().clearLabels();
      for (String l : labels) {
        String[] kv = l.split("=", 2);
        m.addLabels(Metapb.StoreLabel.newBuilder().setKey(kv[0]).setValue(kv[1]));
      }
      return s.withMeta(m.build());
    });
    return this;
  }

  /** A region led by {@code leaderStore} with voters on the followers, 10 MiB, 10 000 keys. */
  public RegionInfo addLeaderRegion(long id, long leaderStore, long... followers) {
    StringBuilder spec = new StringBuilder().append(leaderStore).append('*');
    for (long f : followers) {
      spec.append(' ').append(f);
    }
    return addRegion(id, spec.toString(), 10, 10_000);
  }

  /** A region from a peer spec (see the class doc). */
  public RegionInfo addRegion(long id, String spec, long sizeMiB, long keys) {
    RegionInfo r = region(id, spec, sizeMiB, keys);
    regions.putRegion(r);
    return r;
  }

  public static RegionInfo region(long id, String spec, long sizeMiB, long keys) {
    Metapb.Region.Builder meta = Metapb.Region.newBuilder().setId(id)
        .setStartKey(key(id)).setEndKey(key(id + 1))
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(5).setVersion(5));
    Pdpb.RegionHeartbeatRequest.Builder hb = Pdpb.RegionHeartbeatRequest.newBuilder();
    for (String tok : spec.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      Metapb.PeerRole role = switch (tok.charAt(0)) {
        case 'L' -> Metapb.PeerRole.Learner;
        case 'I' -> Metapb.PeerRole.IncomingVoter;
        case 'D' -> Metapb.PeerRole.DemotingVoter;
        default -> Metapb.PeerRole.Voter;
      };
      String t = Character.isLetter(tok.charAt(0)) ? tok.substring(1) : tok;
      long store = Long.parseLong(t.replaceAll("[^0-9]", ""));
      Metapb.Peer peer = Metapb.Peer.newBuilder().setId(id * 1000 + store).setStoreId(store)
          .setRole(role).build();
      meta.addPeers(peer);
      if (t.contains("*")) {
        hb.setLeader(peer);
      }
      if (t.contains("!")) {
        hb.addDownPeers(Pdpb.PeerStats.newBuilder().setPeer(peer).setDownSeconds(3600));
      }
      if (t.contains("~")) {
        hb.addPendingPeers(peer);
      }
    }
    hb.setRegion(meta).setApproximateSize(sizeMiB << 20).setApproximateKeys(keys);
    return RegionInfo.fromHeartbeat(hb.build());
  }

  public StoreInfo store(long id) {
    return stores.get(id);
  }

  public RegionInfo region(long id) {
    return regions.getRegion(id);
  }
}
