package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: a region heartbeat in one line, e.g. {@code Hb.of(5, "a", "m").ver(3).stores(1, 2,
 * 3).leader(2)}. Peer ids are {@code region id * 100 + store id}. Defaults: version 10, conf_ver
 * 10 (clear of the unsafe-recovery 1/1 exemption), peers on stores 1, 2, 3, leader on store 1.
 */
final class Hb {
  private final long id;
  private ByteString start;
  private ByteString end;
  private long version = 10;
  private long confVer = 10;
  private long[] stores = {1, 2, 3};
  private long leaderStore = 1;
  private long[] learnerStores = {};
  private long[] downStores = {};
  private long[] pendingStores = {};
  private long sizeBytes;
  private long keys;
  private long written;
  private long read;
  private long term;

  private Hb(long id, ByteString start, ByteString end) {
    this.id = id;
    this.start = start;
    this.end = end;
  }

  static Hb of(long id, String start, String end) {
    return new Hb(id, key(start), key(end));
  }

  static Hb of(long id, ByteString start, ByteString end) {
    return new Hb(id, start, end);
  }

  /**
   * A key from text where {@code \xNN} stands for one byte, e.g. {@code "a\x80"}; "" is the empty
   * key.
   */
  static ByteString key(String text) {
    byte[] out = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("\\x", i)) {
        out[n++] = (byte) Integer.parseInt(text.substring(i + 2, i + 4), 16);
        i += 3;
      } else {
        out[n++] = (byte) text.charAt(i);
      }
    }
    return ByteString.copyFrom(out, 0, n);
  }

  /** The inverse of {@link #key}: printable ASCII as is, other bytes as {@code \xNN}. */
  static String text(ByteString key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : key.toByteArray()) {
      int v = b & 0xff;
      if (v > 0x20 && v < 0x7f && v != '\\') {
        sb.append((char) v);
      } else {
        sb.append(String.format("\\x%02X", v));
      }
    }
    return sb.toString();
  }

  /** Cache layout as text: {@code id[start,end)vVersion}, space separated, in key order. */
  static String layout(List<RegionInfo> regions) {
    List<String> parts = new ArrayList<>();
    for (RegionInfo r : regions) {
      parts.add(r.id() + "[" + text(r.startKey()) + "," + text(r.endKey()) + ")v" + r.version());
    }
    return String.join(" ", parts);
  }

  static Metapb.Peer peer(long regionId, long storeId) {
    return Metapb.Peer.newBuilder().setId(regionId * 100 + storeId).setStoreId(storeId).build();
  }

  Hb range(String startKey, String endKey) {
    this.start = key(startKey);
    this.end = key(endKey);
    return this;
  }

  Hb ver(long v) {
    this.version = v;
    return this;
  }

  Hb confVer(long v) {
    this.confVer = v;
    return this;
  }

  Hb epoch(long ver, long conf) {
    return ver(ver).confVer(conf);
  }

  Hb stores(long... s) {
    this.stores = s;
    return this;
  }

  Hb learners(long... s) {
    this.learnerStores = s;
    return this;
  }

  Hb leader(long store) {
    this.leaderStore = store;
    return this;
  }

  Hb down(long... s) {
    this.downStores = s;
    return this;
  }

  Hb pending(long... s) {
    this.pendingStores = s;
    return this;
  }

  Hb sizeBytes(long b) {
    this.sizeBytes = b;
    return this;
  }

  Hb sizeMiB(long mib) {
    return sizeBytes(mib * RegionInfo.MIB);
  }

  Hb keys(long k) {
    this.keys = k;
    return this;
  }

  Hb written(long b) {
    this.written = b;
    return this;
  }

  Hb read(long b) {
    this.read = b;
    return this;
  }

  Hb term(long t) {
    this.term = t;
    return this;
  }

  Metapb.Region meta() {
    Metapb.Region.Builder r =
        Metapb.Region.newBuilder()
            .setId(id)
            .setStartKey(start)
            .setEndKey(end)
            .setRegionEpoch(
                Metapb.RegionEpoch.newBuilder().setVersion(version).setConfVer(confVer));
    for (long s : stores) {
      r.addPeers(peer(id, s));
    }
    for (long s : learnerStores) {
      r.addPeers(peer(id, s).toBuilder().setRole(Metapb.PeerRole.Learner));
    }
    return r.build();
  }

  Pdpb.RegionHeartbeatRequest request() {
    Pdpb.RegionHeartbeatRequest.Builder b =
        Pdpb.RegionHeartbeatRequest.newBuilder()
            .setRegion(meta())
            .setApproximateSize(sizeBytes)
            .setApproximateKeys(keys)
            .setBytesWritten(written)
            .setBytesRead(read)
            .setTerm(term);
    if (leaderStore != 0) {
      b.setLeader(peer(id, leaderStore));
    }
    for (long s : downStores) {
      b.addDownPeers(Pdpb.PeerStats.newBuilder().setPeer(peer(id, s)).setDownSeconds(60));
    }
    for (long s : pendingStores) {
      b.addPendingPeers(peer(id, s));
    }
    return b.build();
  }

  RegionInfo info() {
    return RegionInfo.fromHeartbeat(request());
  }

  /** As loaded from storage: metadata only, no leader. */
  RegionInfo stored() {
    return RegionInfo.fromMeta(meta(), null);
  }

  @Override
  public String toString() {
    return id + "[" + text(start) + "," + text(end) + ")v" + version + "/c" + confVer;
  }

  static byte[] bytes(String text) {
    return key(text).toByteArray();
  }
}
