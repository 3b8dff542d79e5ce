package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans a region's membership change (PD's {@code operator.Builder}). Say what the region should
 * look like — peers to add, remove, promote, demote, the leader — and {@link #build} orders the
 * steps:
 *
 * <pre>
 *   OperatorBuilder.of("replace-rule-offline-peer", cluster, region)
 *       .removePeer(4).addPeer(Metapb.Peer.newBuilder().setStoreId(1).build())
 *       .build(OpKind.of(OpKind.REPLICA), nowMillis)
 * </pre>
 *
 * <p>Design note. Each call checks itself against the target so far; a call that does not fit is
 * recorded as an error and has no effect, and the calls after it still run, so one build reports
 * every problem. {@code build} never returns a half-built operator: a value or the errors. The
 * planning itself ({@link StepPlanner}) runs on copies, so a builder can be built again (new
 * peers then get new ids). With joint consensus the plan is: add learners, move the leader off a peer that goes or
 * demotes, one {@link ChangePeerV2Enter} promoting and demoting together, {@link
 * ChangePeerV2Leave}, remove the demoted learners. Without it (or when only one peer changes) the
 * plan is pairs of add-learner/promote, transfer-leader and remove, chosen by PD's preferences.
 * {@link OpKind#REGION} and {@link OpKind#LEADER} are added by the steps generated.
 *
 * <p>Cost. A store going Down makes one such operator per region it held, so building is kept
 * cheap in allocation: peers are held in {@link PeerMap}s (store-id-ordered arrays, no boxing),
 * the region's peer list is read once, and the sets that are usually empty share empty values.
 *
 * <p>Not thread-safe; one builder per operator.
 */
public final class OperatorBuilder {

  /** The role a store's peer should have after a move (PD's placement {@code PeerRoleType}). */
  public enum Role {
    /** A voter that may lead. */
    VOTER,
    /** The voter that should lead. */
    LEADER,
    /** A voter that should not lead. */
    FOLLOWER,
    LEARNER;

    Metapb.PeerRole metaRole() {
      return this == LEARNER ? Metapb.PeerRole.Learner : Metapb.PeerRole.Voter;
    }
  }

  final String desc;
  final BuilderCluster cluster;
  final RegionInfo region;
  /** An immutable empty list until the first error. */
  List<String> errors = List.of();

  private static final long[] NO_STORES = {};

  final PeerMap originPeers;
  /** Stores of pending or down peers (unordered, may repeat; usually empty). */
  private final long[] unhealthyStores;
  /** Whether the region reported a peer in a joint-state role. */
  private final boolean originJoint;
  final long originLeaderStoreId;

  PeerMap targetPeers;
  long targetLeaderStoreId;
  /** Ascending; an immutable empty list until {@link #setLeaders} adds one. */
  List<Long> targetLeaderStoreIds = List.of();
  Map<Long, Role> expectedRoles = Map.of();

  boolean skipOriginJointStateCheck;
  boolean lightWeight;
  boolean forceTargetLeader;
  Priority priority = Priority.MEDIUM;

  private OperatorBuilder(String desc, BuilderCluster cluster, RegionInfo region,
      List<Metapb.Peer> peers) {
    this.desc = desc;
    this.cluster = cluster;
    this.region = region;
    originPeers = new PeerMap(peers.size());
    boolean joint = false;
    for (Metapb.Peer p : peers) {
      joint |= inJointState(p);
      if (p.getStoreId() == 0) {
        error("cannot build operator for region " + region.id() + " with a peer on store 0");
        continue;
      }
      originPeers.put(p);
    }
    originJoint = joint;
    unhealthyStores = unhealthyStores(region);
    originLeaderStoreId = region.leaderStoreId();
    if (!originPeers.containsKey(originLeaderStoreId)) {
      error("cannot build operator for region " + region.id() + " with no leader");
    }
    targetPeers = originPeers.copy(1);
  }

  private static long[] unhealthyStores(RegionInfo region) {
    List<Metapb.Peer> pending = region.pendingPeers();
    List<Pdpb.PeerStats> down = region.downPeers();
    if (pending.isEmpty() && down.isEmpty()) {
      return NO_STORES;
    }
    long[] out = new long[pending.size() + down.size()];
    int n = 0;
    for (Metapb.Peer p : pending) {
      out[n++] = p.getStoreId();
    }
    for (Pdpb.PeerStats d : down) {
      out[n++] = d.getPeer().getStoreId();
    }
    return out;
  }

  /** Whether the store holds a pending or down peer. */
  boolean isUnhealthy(long storeId) {
    for (long s : unhealthyStores) {
      if (s == storeId) {
        return true;
      }
    }
    return false;
  }

  /** The role expected of the store's peer, or null (no boxing when none were set). */
  Role expectedRole(long storeId) {
    return expectedRoles.isEmpty() ? null : expectedRoles.get(storeId);
  }

  /** A builder for the region as reported; {@code desc} is PD's operator description. */
  public static OperatorBuilder of(String desc, BuilderCluster cluster, RegionInfo region) {
    return new OperatorBuilder(desc, cluster, region, region.peers());
  }

  /**
   * The same, with the region's peers as {@link RegionInfo#peers} returned them (that call builds
   * a new list; a checker that has it already passes it here).
   */
  public static OperatorBuilder of(String desc, BuilderCluster cluster, RegionInfo region,
      List<Metapb.Peer> peers) {
    return new OperatorBuilder(desc, cluster, region, peers);
  }

  /** Allows building for a region in a joint state (transfer-leader, leave-joint-state). */
  public OperatorBuilder skipOriginJointStateCheck() {
    skipOriginJointStateCheck = true;
    return this;
  }

  /**
   * Adds a peer on {@code peer}'s store with its role; a peer id of 0 is allocated at build. The
   * store must be known, not Tombstone, and hold no peer of the region.
   */
  public OperatorBuilder addPeer(Metapb.Peer peer) {
    long store = peer.getStoreId();
    if (store == 0) {
      return error("cannot add peer " + brief(peer) + ": no store id");
    }
    if (inJointState(peer)) {
      return error("cannot add peer " + brief(peer) + ": role " + peer.getRole() + " is a joint state");
    }
    Metapb.Peer old = targetPeers.get(store);
    if (old != null) {
      return error("cannot add peer " + brief(peer) + ": store " + store + " already has peer "
          + brief(old));
    }
    String storeError = checkTargetStore(store);
    if (storeError != null) {
      return error("cannot add peer " + brief(peer) + ": " + storeError);
    }
    targetPeers.put(peer);
    return this;
  }

  /** Removes the peer on the store; it must not be the target leader. */
  public OperatorBuilder removePeer(long storeId) {
    if (!targetPeers.containsKey(storeId)) {
      return error("cannot remove peer from store " + storeId + ": not found");
    }
    if (targetLeaderStoreId == storeId) {
      return error("cannot remove peer from store " + storeId + ": is target leader");
    }
    targetPeers.remove(storeId);
    return this;
  }

  /** Makes the learner on the store a voter; it must be healthy (not pending, not down). */
  public OperatorBuilder promoteLearner(long storeId) {
    Metapb.Peer p = targetPeers.get(storeId);
    if (p == null) {
      return error("cannot promote peer on store " + storeId + ": not found");
    }
    if (p.getRole() != Metapb.PeerRole.Learner) {
      return error("cannot promote peer on store " + storeId + ": is not learner");
    }
    if (isUnhealthy(storeId)) {
      return error("cannot promote peer on store " + storeId + ": unhealthy");
    }
    targetPeers.put(p.toBuilder().setRole(Metapb.PeerRole.Voter).build());
    return this;
  }

  /** Makes the voter on the store a learner. */
  public OperatorBuilder demoteVoter(long storeId) {
    Metapb.Peer p = targetPeers.get(storeId);
    if (p == null) {
      return error("cannot demote voter on store " + storeId + ": not found");
    }
    if (p.getRole() == Metapb.PeerRole.Learner) {
      return error("cannot demote voter on store " + storeId + ": is already learner");
    }
    targetPeers.put(p.toBuilder().setRole(Metapb.PeerRole.Learner).build());
    return this;
  }

  /** The store whose peer should lead afterwards: a healthy voter of the target. */
  public OperatorBuilder setLeader(long storeId) {
    Metapb.Peer p = targetPeers.get(storeId);
    if (p == null) {
      return error("cannot transfer leader to store " + storeId + ": not found");
    }
    if (p.getRole() == Metapb.PeerRole.Learner) {
      return error("cannot transfer leader to store " + storeId + ": not voter");
    }
    if (isUnhealthy(storeId)) {
      return error("cannot transfer leader to store " + storeId + ": unhealthy");
    }
    targetLeaderStoreId = storeId;
    return this;
  }

  /**
   * Other acceptable leader stores (multi-target evict-leader); the unsuitable ones are skipped
   * silently, as PD does.
   */
  public OperatorBuilder setLeaders(List<Long> storeIds) {
    for (long id : new TreeSet<>(storeIds)) {
      Metapb.Peer p = targetPeers.get(id);
      if (p != null && p.getRole() != Metapb.PeerRole.Learner && !isUnhealthy(id)) {
        if (targetLeaderStoreIds.isEmpty()) {
          targetLeaderStoreIds = new ArrayList<>();
        }
        targetLeaderStoreIds.add(id);
      }
    }
    return this;
  }

  /**
   * Replaces the whole target, keyed by store id; peer id 0 means allocate (or keep the origin's
   * peer on that store). A target leader not in the new peers is dropped.
   */
  public OperatorBuilder setPeers(Map<Long, Metapb.Peer> peers) {
    int before = errors.size();
    for (Map.Entry<Long, Metapb.Peer> e : new TreeMap<>(peers).entrySet()) {
      Metapb.Peer p = e.getValue();
      if (p == null || e.getKey() == 0 || p.getStoreId() != e.getKey() || inJointState(p)) {
        error("setPeers with mismatch peers: store " + e.getKey() + " -> "
            + (p == null ? "null" : brief(p)));
      } else if (!originPeers.containsKey(e.getKey())) {
        String storeError = checkTargetStore(e.getKey());
        if (storeError != null) {
          error("cannot add peer " + brief(p) + ": " + storeError);
        }
      }
    }
    if (errors.size() > before) {
      return this;
    }
    if (!peers.containsKey(targetLeaderStoreId)) {
      targetLeaderStoreId = 0;
    }
    PeerMap target = new PeerMap(peers.size());
    for (Metapb.Peer p : peers.values()) {
      target.put(p); // each key was checked above to be its peer's store id
    }
    targetPeers = target;
    return this;
  }

  /**
   * The roles wanted per store (move-region); a LEADER role sets the target leader, FOLLOWER and
   * LEARNER stores never become it. At most one LEADER, at least one VOTER or LEADER.
   */
  public OperatorBuilder setExpectedRoles(Map<Long, Role> roles) {
    int leaders = 0;
    int voters = 0;
    long leader = targetLeaderStoreId;
    for (Map.Entry<Long, Role> e : new TreeMap<>(roles).entrySet()) {
      switch (e.getValue()) {
        case LEADER -> {
          leaders++;
          leader = e.getKey();
        }
        case VOTER -> voters++;
        case FOLLOWER, LEARNER -> {
          if (leader == e.getKey()) {
            leader = 0;
          }
        }
      }
    }
    if (leaders > 1) {
      return error("region cannot have multiple leaders: " + roles);
    }
    if (leaders + voters == 0) {
      return error("region needs at least 1 voter or leader: " + roles);
    }
    targetLeaderStoreId = leader;
    expectedRoles = Map.copyOf(roles);
    return this;
  }

  /** Adds learners without spending add-peer store limits (scatter). */
  public OperatorBuilder enableLightWeight() {
    lightWeight = true;
    return this;
  }

  /** Moves the leader to the target even onto a store the state filter would refuse. */
  public OperatorBuilder enableForceTargetLeader() {
    forceTargetLeader = true;
    return this;
  }

  /** The operator's priority (default medium; admin operators are always urgent). */
  public OperatorBuilder priority(Priority p) {
    priority = p;
    return this;
  }

  /** The errors recorded so far. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /**
   * Plans the steps and makes the operator, created at {@code nowMillis}, with {@code kinds} plus
   * REGION and LEADER as the steps need; or every error found.
   */
  public BuildResult<Operator> build(int kinds, long nowMillis) {
    boolean jointError = !skipOriginJointStateCheck && originJoint;
    if (!errors.isEmpty() || jointError) {
      List<String> all = new ArrayList<>(errors);
      if (jointError) {
        all.add("cannot build operator for region " + region.id() + " which is in joint state");
      }
      return BuildResult.failed(all);
    }
    StepPlanner planner = new StepPlanner(this);
    String err = planner.plan(kinds);
    if (err != null) {
      return BuildResult.failed(err);
    }
    return BuildResult.ok(new Operator(desc, planner.brief(), region.id(), region.epoch(),
        planner.kinds(), region.approximateSize(), priority, planner.steps(), nowMillis));
  }

  private OperatorBuilder error(String message) {
    if (errors.isEmpty()) {
      errors = new ArrayList<>();
    }
    errors.add(message);
    return this;
  }

  private String checkTargetStore(long storeId) {
    StoreInfo s = cluster.store(storeId);
    if (s == null) {
      return "store " + storeId + " not found";
    }
    if (s.isTombstone()) {
      return "store " + storeId + " is tombstone";
    }
    return null;
  }

  static boolean inJointState(Metapb.Peer p) {
    return p.getRole() == Metapb.PeerRole.IncomingVoter
        || p.getRole() == Metapb.PeerRole.DemotingVoter;
  }

  static String brief(Metapb.Peer p) {
    return "{id:" + p.getId() + " store:" + p.getStoreId() + " role:" + p.getRole() + "}";
  }
}
