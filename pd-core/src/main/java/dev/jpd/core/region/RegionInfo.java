package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
  /** {@link #leaderIndex} when the leader is unknown. */
  static final byte NO_LEADER = -1;
  /** {@link #leaderIndex} when the leader is kept whole in {@link #leaderWhole}. */
  static final byte LEADER_WHOLE = -2;

  // The compact form (see CompactMeta). Arrays are never written after construction and are
  // shared between successive snapshots of a region.
  private final long id;
  private final byte[] startKey;
  private final byte[] endKey;
  private final long version;
  private final long confVer;
  private final long[] peers;
  private final byte[] roles;
  /** Index of the leader in {@link #peers}, or {@link #NO_LEADER} / {@link #LEADER_WHOLE}. */
  private final byte leaderIndex;
  /** The leader when it is not exactly one of the peers (rare); else null. */
  private final Metapb.Peer leaderWhole;
  /** The reported metadata when the compact form cannot reproduce it (rare); else null. */
  private final Metapb.Region metaWhole;
  private final List<Pdpb.PeerStats> downPeers;
  private final List<Metapb.Peer> pendingPeers;
  private final long writtenBytes;
  private final long writtenKeys;
  private final long readBytes;
  private final long readKeys;
  private final long approximateSize;
  private final long approximateKeys;
  private final long term;
  private final long intervalStart;
  private final long intervalEnd;
  private final boolean loadedFromStorage;

  private RegionInfo(RegionInfoBuilder b) {
    this.id = b.id;
    this.startKey = b.startKey;
    this.endKey = b.endKey;
    this.version = b.version;
    this.confVer = b.confVer;
    this.peers = b.peers;
    this.roles = b.roles;
    this.leaderIndex = b.leaderIndex;
    this.leaderWhole = b.leaderWhole;
    this.metaWhole = b.metaWhole;
    this.downPeers = b.downPeers;
    this.pendingPeers = b.pendingPeers;
    this.writtenBytes = b.writtenBytes;
    this.writtenKeys = b.writtenKeys;
    this.readBytes = b.readBytes;
    this.readKeys = b.readKeys;
    this.approximateSize = b.approximateSize;
    this.approximateKeys = b.approximateKeys;
    this.term = b.term;
    this.intervalStart = b.intervalStart;
    this.intervalEnd = b.intervalEnd;
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
    RegionInfoBuilder b = new RegionInfoBuilder(hb.getRegion());
    b.leader(hb.getLeader());
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
    b.intervalStart = hb.getInterval().getStartTimestamp();
    b.intervalEnd = hb.getInterval().getEndTimestamp();
    return new RegionInfo(b);
  }

  /**
   * A region known only by its metadata: loaded from storage at start, or the bootstrap region.
   * {@code leaderOrNull} may be null (the usual case for stored regions): {@link #leader()} then
   * answers the default peer (id 0). Statistics are zero until the first heartbeat.
   */
  public static RegionInfo fromMeta(Metapb.Region meta, Metapb.Peer leaderOrNull) {
    RegionInfoBuilder b = new RegionInfoBuilder(meta);
    b.leader(leaderOrNull == null ? Metapb.Peer.getDefaultInstance() : leaderOrNull);
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
    RegionInfoBuilder b = toBuilder();
    b.approximateSize = size;
    return new RegionInfo(b);
  }

  /**
   * This snapshot with the key and peer arrays of {@code origin} (the cached snapshot of the same
   * region) where they are equal, so that successive snapshots of a region hold one copy and the
   * range index keeps pointing at the same start key. Returns this instance when nothing can be
   * shared or everything is shared already.
   */
  RegionInfo shareArraysWith(RegionInfo origin) {
    return withCachedParts(origin, false);
  }

  /**
   * {@link #inheritApproximateSize} and {@link #shareArraysWith} in one copy: the snapshot to cache
   * for this report when {@code origin} is cached. When the key range equals the cached one, the
   * result holds the cached key arrays themselves, so that {@link #sharesRangeOf} then answers by
   * identity.
   */
  RegionInfo withCachedParts(RegionInfo origin) {
    return withCachedParts(origin, true);
  }

  private RegionInfo withCachedParts(RegionInfo origin, boolean inheritSize) {
    if (origin == null) {
      return inheritSize ? inheritApproximateSize(null) : this;
    }
    boolean keys = (startKey != origin.startKey || endKey != origin.endKey)
        && Arrays.equals(startKey, origin.startKey) && Arrays.equals(endKey, origin.endKey);
    boolean samePeers = peers != origin.peers && Arrays.equals(peers, origin.peers)
        && Arrays.equals(roles, origin.roles);
    boolean inherit = inheritSize && approximateSize == 0 && origin.approximateSize != 0;
    if (!keys && !samePeers && !inherit) {
      return this;
    }
    RegionInfoBuilder b = toBuilder();
    if (keys) {
      b.startKey = origin.startKey;
      b.endKey = origin.endKey;
    }
    if (samePeers) {
      b.peers = origin.peers;
      b.roles = origin.roles;
    }
    if (inherit) {
      b.approximateSize = origin.approximateSize;
    }
    return new RegionInfo(b);
  }

  /** Holds the very key arrays of {@code other}: the same range, answered without reading keys. */
  boolean sharesRangeOf(RegionInfo other) {
    return startKey == other.startKey && endKey == other.endKey;
  }

  private RegionInfoBuilder toBuilder() {
    RegionInfoBuilder b = new RegionInfoBuilder();
    b.id = id;
    b.startKey = startKey;
    b.endKey = endKey;
    b.version = version;
    b.confVer = confVer;
    b.peers = peers;
    b.roles = roles;
    b.leaderIndex = leaderIndex;
    b.leaderWhole = leaderWhole;
    b.metaWhole = metaWhole;
    b.downPeers = downPeers;
    b.pendingPeers = pendingPeers;
    b.writtenBytes = writtenBytes;
    b.writtenKeys = writtenKeys;
    b.readBytes = readBytes;
    b.readKeys = readKeys;
    b.approximateSize = approximateSize;
    b.approximateKeys = approximateKeys;
    b.term = term;
    b.intervalStart = intervalStart;
    b.intervalEnd = intervalEnd;
    b.loadedFromStorage = loadedFromStorage;
    return b;
  }

  public long id() {
    return id;
  }

  /**
   * The region metadata, equal to what was reported (or stored). Built on each call from the
   * compact form; callers that need it repeatedly should keep the result.
   */
  public Metapb.Region meta() {
    if (metaWhole != null) {
      return metaWhole;
    }
    return CompactMeta.build(id, startKey, endKey, version, confVer, peers, roles);
  }

  /** Inclusive start key; empty = the start of the key space. */
  public ByteString startKey() {
    return CompactMeta.wrap(startKey);
  }

  /** Exclusive end key; empty = the end of the key space. */
  public ByteString endKey() {
    return CompactMeta.wrap(endKey);
  }

  /** The start key without a copy: the caller must not write to it. */
  byte[] startKeyBytes() {
    return startKey;
  }

  /** The end key without a copy: the caller must not write to it. */
  byte[] endKeyBytes() {
    return endKey;
  }

  public Metapb.RegionEpoch epoch() {
    return metaWhole != null
        ? metaWhole.getRegionEpoch()
        : Metapb.RegionEpoch.newBuilder().setVersion(version).setConfVer(confVer).build();
  }

  public long version() {
    return version;
  }

  public long confVer() {
    return confVer;
  }

  /** Every peer (voters, learners, joint-state roles), unmodifiable, in reported order. */
  public List<Metapb.Peer> peers() {
    if (metaWhole != null) {
      return metaWhole.getPeersList();
    }
    Metapb.Peer[] out = new Metapb.Peer[peerCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = CompactMeta.peer(peers, roles, i);
    }
    return List.of(out);
  }

  // The peers one by one, without building them: the i-th of peers(), for 0 <= i < peerCount().
  // Per-region hot paths (the checkers' patrol over every region) read these instead of peers().

  /** Number of peers. */
  public int peerCount() {
    return peers.length / 2;
  }

  /** The i-th peer's id. */
  public long peerId(int i) {
    return peers[2 * i];
  }

  /** The i-th peer's store id. */
  public long peerStoreId(int i) {
    return peers[2 * i + 1];
  }

  /** Whether the i-th peer is a learner. */
  public boolean peerIsLearner(int i) {
    return CompactMeta.roleValue(roles, i) == Metapb.PeerRole.Learner_VALUE;
  }

  /** Whether the i-th peer has a joint-consensus role (incoming or demoting voter). */
  boolean peerInJointRole(int i) {
    int role = CompactMeta.roleValue(roles, i);
    return role == Metapb.PeerRole.IncomingVoter_VALUE
        || role == Metapb.PeerRole.DemotingVoter_VALUE;
  }

  /**
   * Whether some peer has a joint-consensus role: the region is in a joint state. Reads the peers
   * only when some peer has a role other than voter (asked of every region by the checkers).
   */
  public boolean inJointState() {
    if (roles == null) {
      return false;
    }
    for (int i = 0; i < roles.length; i++) {
      if (peerInJointRole(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An opaque object that stays the same ({@code ==}) across snapshots of this region while its
   * peers (ids, stores, roles) stay equal: the region cache hands a new snapshot the cached one's
   * peer arrays when they are equal (the id, store and role arrays are shared together). A cache
   * keyed on a region's peers keeps it and compares by identity; a different object does not mean
   * different peers (a region loaded from storage, then reported), so such a cache compares the
   * peers themselves then. Only for {@code ==}: what the object is, is not part of the contract.
   */
  public Object peersIdentity() {
    return peers;
  }

  /**
   * The leader; never null. When the leader is unknown (a region loaded from storage) this is the
   * default peer, whose id and store id are 0, as PD's nil-safe {@code GetLeader().GetId()}.
   */
  public Metapb.Peer leader() {
    if (leaderIndex >= 0) {
      return CompactMeta.peer(peers, roles, leaderIndex);
    }
    return leaderIndex == NO_LEADER ? Metapb.Peer.getDefaultInstance() : leaderWhole;
  }

  /** The leader's peer id, 0 when unknown; no allocation. */
  public long leaderId() {
    if (leaderIndex >= 0) {
      return peers[2 * leaderIndex];
    }
    return leaderIndex == NO_LEADER ? 0 : leaderWhole.getId();
  }

  public boolean hasLeader() {
    return leaderId() != 0;
  }

  /** The leader's store id, 0 when the leader is unknown. */
  public long leaderStoreId() {
    if (leaderIndex >= 0) {
      return peers[2 * leaderIndex + 1];
    }
    return leaderIndex == NO_LEADER ? 0 : leaderWhole.getStoreId();
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
    for (int i = 0; i < peerCount(); i++) {
      if (peerId(i) == peerId) {
        return metaWhole != null ? metaWhole.getPeers(i) : CompactMeta.peer(peers, roles, i);
      }
    }
    return null;
  }

  /** The peer on this store, or null. */
  public Metapb.Peer getStorePeer(long storeId) {
    for (int i = 0; i < peerCount(); i++) {
      if (peerStoreId(i) == storeId) {
        return metaWhole != null ? metaWhole.getPeers(i) : CompactMeta.peer(peers, roles, i);
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
    return peers().stream().filter(p -> !isLearner(p)).toList();
  }

  /** Learner peers, computed on each call. */
  public List<Metapb.Peer> learners() {
    return peers().stream().filter(RegionInfo::isLearner).toList();
  }

  /** Voters other than the leader, computed on each call. */
  public List<Metapb.Peer> followers() {
    long leaderId = leaderId();
    return peers().stream().filter(p -> !isLearner(p) && p.getId() != leaderId).toList();
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
    if (intervalStart == 0 && intervalEnd == 0) {
      return Pdpb.TimeInterval.getDefaultInstance();
    }
    return Pdpb.TimeInterval.newBuilder()
        .setStartTimestamp(intervalStart)
        .setEndTimestamp(intervalEnd)
        .build();
  }

  /** True for regions built by {@link #fromMeta}: not reported by a store since this PD started. */
  public boolean loadedFromStorage() {
    return loadedFromStorage;
  }

  /** Same start and end key. */
  public boolean sameRange(RegionInfo other) {
    return Arrays.equals(startKey, other.startKey) && Arrays.equals(endKey, other.endKey);
  }

  /** Same epoch, exactly as {@code epoch().equals(other.epoch())}, without building protos. */
  boolean sameEpoch(RegionInfo other) {
    if (metaWhole != null || other.metaWhole != null) {
      return epoch().equals(other.epoch());
    }
    return version == other.version && confVer == other.confVer;
  }

  /** Same peers in the same order, exactly as {@code peers().equals(other.peers())}. */
  boolean samePeers(RegionInfo other) {
    if (metaWhole != null || other.metaWhole != null) {
      return peers().equals(other.peers());
    }
    return Arrays.equals(peers, other.peers) && Arrays.equals(roles, other.roles);
  }

  /** Same leader, exactly as {@code leader().equals(other.leader())}. */
  boolean sameLeader(RegionInfo other) {
    if (leaderIndex >= 0 && other.leaderIndex >= 0) {
      int a = leaderIndex;
      int b = other.leaderIndex;
      return peers[2 * a] == other.peers[2 * b]
          && peers[2 * a + 1] == other.peers[2 * b + 1]
          && (roles == null ? 0 : roles[a]) == (other.roles == null ? 0 : other.roles[b]);
    }
    return leader().equals(other.leader());
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
}
