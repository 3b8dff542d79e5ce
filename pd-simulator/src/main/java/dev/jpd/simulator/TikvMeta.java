package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metapb} messages shaped as a TiKV store sends them to the PD: a store with its gRPC,
 * peer and status addresses and a version; voters and learners; a region with its epoch and
 * peers. Fake stores listen nowhere, but store {@code id}'s addresses follow TiKV's default ports
 * (20160 + id for gRPC, 20180 + id for status) so that no two stores share one, which the PD
 * refuses.
 *
 * <p>The builders check nothing about ids, epochs, key order or peer placement: those are the
 * PD's checks, and tests of the PD need to send the bad cases too (a zero region id, a stale
 * epoch, two peers on one store) through the same helpers.
 */
public final class TikvMeta {
  /** The TiKV version fake stores report: one the PD accepts for every feature it gates. */
  public static final String VERSION = "8.5.0";

  private TikvMeta() {}

  /** Store {@code id}: addresses on 127.0.0.1, version {@link #VERSION}, no labels. */
  public static Metapb.Store store(long id) {
    return store(id, Map.of());
  }

  /** Store {@code id} with these labels, in key order (TiKV reports its config's sorted map). */
  public static Metapb.Store store(long id, Map<String, String> labels) {
    Metapb.Store.Builder b =
        Metapb.Store.newBuilder()
            .setId(id)
            .setAddress("127.0.0.1:" + (20160 + id))
            .setPeerAddress("127.0.0.1:" + (20160 + id))
            .setStatusAddress("127.0.0.1:" + (20180 + id))
            .setVersion(VERSION);
    for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
      b.addLabels(Metapb.StoreLabel.newBuilder().setKey(l.getKey()).setValue(l.getValue()));
    }
    return b.build();
  }

  /** A voter: peer {@code id} on store {@code storeId}. */
  public static Metapb.Peer peer(long id, long storeId) {
    return Metapb.Peer.newBuilder().setId(id).setStoreId(storeId).setRole(Metapb.PeerRole.Voter).build();
  }

  /** A learner: peer {@code id} on store {@code storeId}. */
  public static Metapb.Peer learner(long id, long storeId) {
    return peer(id, storeId).toBuilder().setRole(Metapb.PeerRole.Learner).build();
  }

  /**
   * Region {@code id} over [start, end) (an empty key is unbounded) with epoch (confVer,
   * version) and these peers, the leader usually first. Keys are taken as UTF-8.
   */
  public static Metapb.Region region(
      long id, String start, String end, long confVer, long version, Metapb.Peer... peers) {
    return region(
        id, ByteString.copyFromUtf8(start), ByteString.copyFromUtf8(end), confVer, version, peers);
  }

  /** Region {@code id} over [start, end) with epoch (confVer, version) and these peers. */
  public static Metapb.Region region(
      long id,
      ByteString start,
      ByteString end,
      long confVer,
      long version,
      Metapb.Peer... peers) {
    return Metapb.Region.newBuilder()
        .setId(id)
        .setStartKey(start)
        .setEndKey(end)
        .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(confVer).setVersion(version))
        .addAllPeers(List.of(peers))
        .build();
  }
}
