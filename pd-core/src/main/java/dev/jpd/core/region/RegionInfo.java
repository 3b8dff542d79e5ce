package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the PD knows about one region at one moment: its metadata, its leader and the statistics of
 * the last accepted heartbeat. Immutable and replaced whole (PD's {@code RegionInfo}: "Read-Only
 * once created"); readers never lock.
 *
 * <p>Units follow PD: {@link #approximateSize()} is in MiB, {@link #approximateKeys()} is a key
 * count, flows are bytes and keys over the report {@link #interval()}. Unsigned 64-bit protocol
 * values are kept in {@code long}s; compare them with {@link Long#compareUnsigned}.
 *
 * <p>The time the heartbeat arrived is deliberately not kept here: it belongs to whoever tracks
 * liveness, and keeping it would make every snapshot differ from its predecessor.
 */
public final class RegionInfo {
  /** One MiB: heartbeats report bytes, PD schedules in MiB. */
  static final long MIB = 1L << 20;

  /** The size PD gives a region that is not empty but smaller than 1 MiB (and a new empty one). */
  public static final long EMPTY_REGION_APPROXIMATE_SIZE = 1;

  /**
   * Flows at or above 2^50 (1 PiB per report) are impossible and come from counter overflow in the
   * store (PD's {@code ImpossibleFlowSize}, tikv/pd#3379); they are reported as 0.
   */
  static final long IMPOSSIBLE_FLOW_SIZE = 1L << 50;

  private static final Comparator<Metapb.Peer> BY_PEER_ID =
      Comparator.comparingLong(Metapb.Peer::getId);
  private static final Comparator<Pdpb.PeerStats> BY_DOWN_PEER_ID =
      Comparator.comparingLong(s -> s.getPeer().getId());

  private final Metapb.Region meta;
  private final Metapb.Peer leader;
  private final List<Pdpb.PeerStats> downPeers;
  private final List<Metapb.Peer> pendingPeers;
  private final long writtenBytes;
  private final long writtenKeys;
  private final long readBytes;
  private final long readKeys;
  private final long approximateSize;
  private final long approximateKeys;
  private final long term;
  private final Pdpb.TimeInterval interval;
  private final boolean loadedFromStorage;

  private RegionInfo(Builder b) {
    this.meta = b.meta;
    this.leader = b.leader;
    this.downPeers = b.downPeers;
    this.pendingPeers = b.pendingPeers;
    this.writtenBytes = b.writtenBytes;
    this.writtenKeys = b.writtenKeys;
    this.readBytes = b.readBytes;
    this.readKeys = b.readKeys;
    this.approximateSize = b.approximateSize;
    this.approximateKeys = b.approximateKeys;
    this.term = b.term;
    this.interval = b.interval;
    this.loadedFromStorage = b.loadedFromStorage;
  }

  /**
   * The region as its leader reports it. The heartbeat should have passed {@link
   * HeartbeatValidation} first; this factory does not check it.
   *
   * <p>Approximate size: the heartbeat carries bytes; PD keeps {@code bytes / 1 MiB} rounded
   * <em>down</em>, except that a non-empty region smaller than 1 MiB counts as 1 MiB
   * ({@code RegionFromHeartbeat}). A report of 0 bytes stays 0 here; the region cache then keeps
   * the cached size instead (PD's {@code Inherit}, see {@link #inheritApproximateSize}). Down and
   * pending peers are sorted by peer id; flows of 2^50 or more are dropped to 0.
   */
  public static RegionInfo fromHeartbeat(Pdpb.RegionHeartbeatRequest hb) {
    Builder b = new Builder(hb.getRegion());
    b.leader = hb.getLeader();
    b.downPeers = sortedCopy(hb.getDownPeersList(), BY_DOWN_PEER_ID);
    b.pendingPeers = sortedCopy(hb.getPendingPeersList(), BY_PEER_ID);
    if (plausibleFlow(hb.getBytesWritten(), hb.getKeysWritten())) {
      b.writtenBytes = hb.getBytesWritten();
      b.writtenKeys = hb.getKeysWritten();
    }
    if (plausibleFlow(hb.getBytesRead(), hb.getKeysRead())) {
      b.readBytes = hb.getBytesRead();
      b.readKeys = hb.getKeysRead();
    }
    b.approximateSize = sizeInMiB(hb.getApproximateSize());
    b.approximateKeys = hb.getApproximateKeys();
    b.term = hb.getTerm();
    b.interval = hb.getInterval();
    return new RegionInfo(b);
  }

  /**
   * A region known only by its metadata: loaded from storage at start, or the bootstrap region.
   * {@code leaderOrNull} may be null (the usual case for stored regions): {@link #leader()} then
   * answers the default peer (id 0). Statistics are zero until the first heartbeat.
   */
  public static RegionInfo fromMeta(Metapb.Region meta, Metapb.Peer leaderOrNull) {
    Builder b = new Builder(meta);
    b.leader = leaderOrNull == null ? Metapb.Peer.getDefaultInstance() : leaderOrNull;
    b.loadedFromStorage = true;
    return new RegionInfo(b);
  }

  /** Bytes to PD's MiB: floor division, but a non-empty region is at least 1 MiB. */
  static long sizeInMiB(long bytes) {
    long mib = Long.divideUnsigned(bytes, MIB);
    return bytes != 0 && mib < EMPTY_REGION_APPROXIMATE_SIZE ? EMPTY_REGION_APPROXIMATE_SIZE : mib;
  }

  private static boolean plausibleFlow(long bytes, long keys) {
    return Long.compareUnsigned(bytes, IMPOSSIBLE_FLOW_SIZE) < 0
        && Long.compareUnsigned(keys, IMPOSSIBLE_FLOW_SIZE) < 0;
  }

  private static <T> List<T> sortedCopy(List<T> list, Comparator<T> order) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<T> copy = new ArrayList<>(list);
    copy.sort(order);
    return List.copyOf(copy);
  }

  /**
   * PD's {@code Inherit}: a store reports size 0 when it has not computed it yet (tikv#11114), so a
   * zero size is replaced by the cached region's size, or by 1 MiB for a region not cached yet.
   * Returns this instance when nothing changes.
   */
  RegionInfo inheritApproximateSize(RegionInfo cached) {
    if (approximateSize != 0) {
      return this;
    }
    long size = cached != null ? cached.approximateSize : EMPTY_REGION_APPROXIMATE_SIZE;
    if (size == 0) {
      return this;
    }
    Builder b = toBuilder();
    b.approximateSize = size;
    return new RegionInfo(b);
  }

  private Builder toBuilder() {
    Builder b = new Builder(meta);
    b.leader = leader;
    b.downPeers = downPeers;
    b.pendingPeers = pendingPeers;
    b.writtenBytes = writtenBytes;
    b.writtenKeys = writtenKeys;
    b.readBytes = readBytes;
    b.readKeys = readKeys;
    b.approximateSize = approximateSize;
    b.approximateKeys = approximateKeys;
    b.term = term;
    b.interval = interval;
    b.loadedFromStorage = loadedFromStorage;
    return b;
  }

  public long id() {
    return meta.getId();
  }

  /** The region metadata exactly as reported (or stored). */
  public Metapb.Region meta() {
    return meta;
  }

  /** Inclusive start key; empty = the start of the key space. */
  public ByteString startKey() {
    return meta.getStartKey();
  }

  /** Exclusive end key; empty = the end of the key space. */
  public ByteString endKey() {
    return meta.getEndKey();
  }

  public Metapb.RegionEpoch epoch() {
    return meta.getRegionEpoch();
  }

  public long version() {
    return meta.getRegionEpoch().getVersion();
  }

  public long confVer() {
    return meta.getRegionEpoch().getConfVer();
  }

  /** Every peer (voters, learners, joint-state roles), unmodifiable, in reported order. */
  public List<Metapb.Peer> peers() {
    return meta.getPeersList();
  }

  /**
   * The leader; never null. When the leader is unknown (a region loaded from storage) this is the
   * default peer, whose id and store id are 0, as PD's nil-safe {@code GetLeader().GetId()}.
   */
  public Metapb.Peer leader() {
    return leader;
  }

  public boolean hasLeader() {
    return leader.getId() != 0;
  }

  /** The leader's store id, 0 when the leader is unknown. */
  public long leaderStoreId() {
    return leader.getStoreId();
  }

  /** Down peers, sorted by peer id, unmodifiable. */
  public List<Pdpb.PeerStats> downPeers() {
    return downPeers;
  }

  /** Pending peers (snapshot not applied yet), sorted by peer id, unmodifiable. */
  public List<Metapb.Peer> pendingPeers() {
    return pendingPeers;
  }

  /** The peer with this peer id, or null. */
  public Metapb.Peer getPeer(long peerId) {
    for (Metapb.Peer p : meta.getPeersList()) {
      if (p.getId() == peerId) {
        return p;
      }
    }
    return null;
  }

  /** The peer on this store, or null. */
  public Metapb.Peer getStorePeer(long storeId) {
    for (Metapb.Peer p : meta.getPeersList()) {
      if (p.getStoreId() == storeId) {
        return p;
      }
    }
    return null;
  }

  /** The down peer with this peer id, or null. */
  public Metapb.Peer getDownPeer(long peerId) {
    for (Pdpb.PeerStats s : downPeers) {
      if (s.getPeer().getId() == peerId) {
        return s.getPeer();
      }
    }
    return null;
  }

  /** The pending peer with this peer id, or null. */
  public Metapb.Peer getPendingPeer(long peerId) {
    for (Metapb.Peer p : pendingPeers) {
      if (p.getId() == peerId) {
        return p;
      }
    }
    return null;
  }

  /** Peers that vote (every role but {@code Learner}), computed on each call. */
  public List<Metapb.Peer> voters() {
    return meta.getPeersList().stream().filter(p -> !isLearner(p)).toList();
  }

  /** Learner peers, computed on each call. */
  public List<Metapb.Peer> learners() {
    return meta.getPeersList().stream().filter(RegionInfo::isLearner).toList();
  }

  /** Voters other than the leader, computed on each call. */
  public List<Metapb.Peer> followers() {
    return meta.getPeersList().stream()
        .filter(p -> !isLearner(p) && p.getId() != leader.getId())
        .toList();
  }

  static boolean isLearner(Metapb.Peer p) {
    return p.getRole() == Metapb.PeerRole.Learner;
  }

  /** Bytes written over {@link #interval()}; unsigned. */
  public long writtenBytes() {
    return writtenBytes;
  }

  public long writtenKeys() {
    return writtenKeys;
  }

  public long readBytes() {
    return readBytes;
  }

  public long readKeys() {
    return readKeys;
  }

  /** Approximate size in MiB (see {@link #fromHeartbeat} for the conversion). */
  public long approximateSize() {
    return approximateSize;
  }

  /** Approximate number of keys. */
  public long approximateKeys() {
    return approximateKeys;
  }

  /** The leader's raft term; 0 when unknown (regions from storage, old stores). */
  public long term() {
    return term;
  }

  /** The period the flows cover; the default instance when unknown. */
  public Pdpb.TimeInterval interval() {
    return interval;
  }

  /** True for regions built by {@link #fromMeta}: not reported by a store since this PD started. */
  public boolean loadedFromStorage() {
    return loadedFromStorage;
  }

  /** Same start and end key. */
  public boolean sameRange(RegionInfo other) {
    return startKey().equals(other.startKey()) && endKey().equals(other.endKey());
  }

  /** Whether the region holds {@code key}. */
  public boolean contains(ByteString key) {
    return KeyOrder.contains(startKey(), endKey(), key);
  }

  /** One line for logs: {@code region{id=5 [61, 62) ver=3 conf_ver=4 leader=store 1 peers=...}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("region{id=").append(id());
    sb.append(" [").append(KeyOrder.hex(startKey())).append(", ");
    sb.append(KeyOrder.hex(endKey())).append(')');
    sb.append(" ver=").append(version()).append(" conf_ver=").append(confVer());
    sb.append(" leader=").append(hasLeader() ? "store " + leaderStoreId() : "none");
    sb.append(" peers=").append(peersString(peers())).append('}');
    return sb.toString();
  }

  /** Peers as {@code [id@store, id@store(Learner)]} for logs and error messages. */
  static String peersString(List<Metapb.Peer> peers) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < peers.size(); i++) {
      Metapb.Peer p = peers.get(i);
      sb.append(i == 0 ? "" : ", ").append(p.getId()).append('@').append(p.getStoreId());
      if (p.getRole() != Metapb.PeerRole.Voter) {
        sb.append('(').append(p.getRole()).append(')');
      }
    }
    return sb.append(']').toString();
  }

  private static final class Builder {
    final Metapb.Region meta;
    Metapb.Peer leader = Metapb.Peer.getDefaultInstance();
    List<Pdpb.PeerStats> downPeers = List.of();
    List<Metapb.Peer> pendingPeers = List.of();
    long writtenBytes;
    long writtenKeys;
    long readBytes;
    long readKeys;
    long approximateSize;
    long approximateKeys;
    long term;
    Pdpb.TimeInterval interval = Pdpb.TimeInterval.getDefaultInstance();
    boolean loadedFromStorage;

    Builder(Metapb.Region meta) {
      this.meta = Objects.requireNonNull(meta, "region meta");
    }
  }
}
