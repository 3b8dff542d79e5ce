package dev.jpd.core.operator;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongToIntFunction;
import java.util.function.ToIntFunction;

/**
 * One planning pass of an {@link OperatorBuilder}: diffs origin and target peers into peers to
 * add, remove, promote and demote, then emits steps with or without joint consensus (PD's
 * {@code prepareBuild}, {@code buildStepsWithJointConsensus}, {@code
 * buildStepsWithoutJointConsensus}). Maps are keyed and iterated by store id, so plans are
 * deterministic. Holds the simulated "current" membership and leader as the steps are emitted.
 */
final class StepPlanner {
  private final OperatorBuilder b;
  private final TreeMap<Long, Metapb.Peer> toAdd = new TreeMap<>();
  private final TreeMap<Long, Metapb.Peer> toRemove = new TreeMap<>();
  private TreeMap<Long, Metapb.Peer> toPromote = new TreeMap<>();
  private TreeMap<Long, Metapb.Peer> toDemote = new TreeMap<>();
  final TreeMap<Long, Metapb.Peer> currentPeers;
  long currentLeaderStoreId;
  long targetLeaderStoreId;
  final List<OpStep> steps = new ArrayList<>();
  /** At which step count a peer was added (later adds make worse leaders). */
  final Map<Long, Integer> peerAddStep = new HashMap<>();
  private boolean useJointConsensus;
  private int kinds;
  private String brief = "";

  StepPlanner(OperatorBuilder b) {
    this.b = b;
    this.currentPeers = new TreeMap<>(b.originPeers);
    this.currentLeaderStoreId = b.originLeaderStoreId;
    this.targetLeaderStoreId = b.targetLeaderStoreId;
  }

  String brief() {
    return brief;
  }

  int kinds() {
    return kinds;
  }

  List<OpStep> steps() {
    return steps;
  }

  long targetLeaderStoreId() {
    return targetLeaderStoreId;
  }

  /** Plans the steps; returns null, or the error that stopped it. */
  String plan(int initialKinds) {
    kinds = initialKinds;
    String err = prepare();
    if (err != null) {
      return err;
    }
    return useJointConsensus ? buildWithJointConsensus() : new PairPlanner(this).build();
  }

  // ---- prepare ----

  private String prepare() {
    useJointConsensus = b.cluster.jointConsensus();
    boolean anyVoter = false;
    for (Metapb.Peer p : b.targetPeers.values()) {
      anyVoter |= !isLearner(p);
    }
    if (!anyVoter) {
      return "cannot create operator: target peers have no voter";
    }
    for (Metapb.Peer o : b.originPeers.values()) {
      Metapb.Peer n = b.targetPeers.get(o.getStoreId());
      if (n == null) {
        toRemove.put(o.getStoreId(), o);
        continue;
      }
      if (isLearner(o) && !isLearner(n)) {
        toPromote.put(n.getStoreId(), withRoleOf(o, n));
      } else if (!isLearner(o) && isLearner(n)) {
        if (useJointConsensus) {
          toDemote.put(n.getStoreId(), withRoleOf(o, n));
        } else {
          toRemove.put(o.getStoreId(), o); // re-added as a learner below
        }
      }
    }
    for (Metapb.Peer n : b.targetPeers.values()) {
      Metapb.Peer o = b.originPeers.get(n.getStoreId());
      if (o == null || (!useJointConsensus && !isLearner(o) && isLearner(n))) {
        if (n.getId() == 0 || o != null) {
          n = n.toBuilder().setId(b.cluster.allocPeerId()).build();
        }
        toAdd.put(n.getStoreId(), n);
      }
    }
    Metapb.Peer leader = b.targetPeers.get(targetLeaderStoreId);
    if (leader == null || isLearner(leader)) {
      targetLeaderStoreId = 0;
    }
    if (targetLeaderStoreId != 0
        && !allowLeader(b.targetPeers.get(targetLeaderStoreId), b.forceTargetLeader)) {
      return "cannot create operator: target leader store " + targetLeaderStoreId
          + " is not allowed to lead";
    }
    // One simple change needs no joint state, except 2 voters to 1 (tikv/pd#4411).
    if (toAdd.size() + toRemove.size() + toPromote.size() <= 1 && toDemote.isEmpty()
        && !(toRemove.size() == 1 && b.targetPeers.size() == 1)) {
      useJointConsensus = false;
    }
    brief = makeBrief();
    return null;
  }

  /** The origin's peer (its id wins) with the target's role. */
  private static Metapb.Peer withRoleOf(Metapb.Peer origin, Metapb.Peer target) {
    return origin.toBuilder().setRole(target.getRole()).build();
  }

  private String makeBrief() {
    if (!toAdd.isEmpty() && !toRemove.isEmpty()) {
      return (b.lightWeight ? "mv light peer" : "mv peer") + ": store " + stores(toRemove)
          + " to " + stores(toAdd);
    }
    if (!toAdd.isEmpty()) {
      return "add peer: store " + stores(toAdd);
    }
    if (!toRemove.isEmpty()) {
      return "rm peer: store " + stores(toRemove);
    }
    if (!toPromote.isEmpty()) {
      return "promote peer: store " + stores(toPromote);
    }
    if (!toDemote.isEmpty()) {
      return "demote peer: store " + stores(toDemote);
    }
    if (!b.targetLeaderStoreIds.isEmpty()) {
      return "evict leader: from store " + b.originLeaderStoreId + " to one in "
          + b.targetLeaderStoreIds.toString().replace(",", "") + ", or to "
          + targetLeaderStoreId + " (for compatibility)";
    }
    if (b.originLeaderStoreId != targetLeaderStoreId) {
      return "transfer leader: store " + b.originLeaderStoreId + " to " + targetLeaderStoreId;
    }
    return "";
  }

  private static String stores(Map<Long, Metapb.Peer> m) {
    return m.keySet().toString().replace(",", "");
  }

  // ---- joint consensus ----

  private String buildWithJointConsensus() {
    for (Metapb.Peer peer : new ArrayList<>(toAdd.values())) {
      if (!isLearner(peer)) {
        execAddPeer(peer.toBuilder().setRole(Metapb.PeerRole.Learner).build());
        toPromote.put(peer.getStoreId(), peer);
      } else {
        execAddPeer(peer);
      }
      kinds |= OpKind.REGION.bit();
    }
    setTargetLeaderIfNotExist();
    if (targetLeaderStoreId == 0) {
      return "no valid leader";
    }
    for (Metapb.Peer peer : toRemove.values()) {
      if (!isLearner(peer)) {
        toDemote.put(peer.getStoreId(), peer.toBuilder().setRole(Metapb.PeerRole.Learner).build());
      }
    }
    Metapb.Peer targetLeaderBefore = b.originPeers.get(targetLeaderStoreId);
    Metapb.Peer originLeaderAfter = b.targetPeers.get(b.originLeaderStoreId);
    if (targetLeaderBefore != null && !isLearner(targetLeaderBefore)) {
      // The new leader is a voter already: move the leader first, then change in one go.
      if (b.originLeaderStoreId != targetLeaderStoreId) {
        execTransferLeader(targetLeaderStoreId);
        kinds |= OpKind.LEADER.bit();
      }
      execChangePeerV2(true, false);
    } else if (originLeaderAfter != null && !isLearner(originLeaderAfter)) {
      // The old leader stays a voter: change first, then move the leader.
      execChangePeerV2(true, false);
      if (b.originLeaderStoreId != targetLeaderStoreId) {
        execTransferLeader(targetLeaderStoreId);
        kinds |= OpKind.LEADER.bit();
      }
    } else {
      // The old leader is demoted and the new one promoted: move the leader in the joint state.
      execChangePeerV2(true, true);
      kinds |= OpKind.LEADER.bit();
    }
    for (Metapb.Peer peer : new ArrayList<>(toRemove.values())) {
      execRemovePeer(peer);
      kinds |= OpKind.REGION.bit();
    }
    return null;
  }

  /**
   * Enter (promote and demote together), an optional leader transfer in the joint state, and
   * Leave. TiKV leaves by itself after an enter of a single change, so no Leave is emitted then.
   */
  void execChangePeerV2(boolean needEnter, boolean needTransferLeader) {
    if (toPromote.isEmpty() && toDemote.isEmpty()) {
      if (needTransferLeader && b.originLeaderStoreId != targetLeaderStoreId) {
        execTransferLeader(targetLeaderStoreId);
      }
      return;
    }
    List<PromoteLearner> promotes = new ArrayList<>();
    for (Metapb.Peer p : toPromote.values()) {
      promotes.add(new PromoteLearner(p.getStoreId(), p.getId()));
      currentPeers.put(p.getStoreId(), p);
    }
    List<DemoteVoter> demotes = new ArrayList<>();
    for (Metapb.Peer p : toDemote.values()) {
      demotes.add(new DemoteVoter(p.getStoreId(), p.getId()));
      currentPeers.put(p.getStoreId(), p);
    }
    toPromote = new TreeMap<>();
    toDemote = new TreeMap<>();
    if (needEnter) {
      steps.add(new ChangePeerV2Enter(promotes, demotes));
    }
    if (needTransferLeader && b.originLeaderStoreId != targetLeaderStoreId) {
      execTransferLeader(targetLeaderStoreId);
    }
    if (!(needEnter && promotes.size() + demotes.size() == 1)) {
      steps.add(new ChangePeerV2Leave(promotes, demotes));
    }
  }

  /** Seeds the promote/demote sets from a region in a joint state (leave-joint-state). */
  void seedJointState() {
    for (Metapb.Peer o : b.originPeers.values()) {
      if (o.getRole() == Metapb.PeerRole.IncomingVoter) {
        toPromote.put(o.getStoreId(), o);
      } else if (o.getRole() == Metapb.PeerRole.DemotingVoter) {
        toDemote.put(o.getStoreId(), o);
      }
    }
  }

  // ---- emitting steps ----

  void execTransferLeader(long toStore) {
    steps.add(new TransferLeader(currentLeaderStoreId, toStore, b.targetLeaderStoreIds));
    currentLeaderStoreId = toStore;
  }

  void execAddPeer(Metapb.Peer peer) {
    steps.add(new AddLearner(peer.getStoreId(), peer.getId(), b.lightWeight));
    if (!isLearner(peer)) {
      steps.add(new PromoteLearner(peer.getStoreId(), peer.getId()));
    }
    currentPeers.put(peer.getStoreId(), peer);
    peerAddStep.put(peer.getStoreId(), steps.size());
    toAdd.remove(peer.getStoreId());
  }

  void execPromoteLearner(Metapb.Peer peer) {
    steps.add(new PromoteLearner(peer.getStoreId(), peer.getId()));
    currentPeers.put(peer.getStoreId(), peer);
    toPromote.remove(peer.getStoreId());
  }

  void execRemovePeer(Metapb.Peer peer) {
    long store = peer.getStoreId();
    steps.add(new RemovePeer(store, peer.getId(), b.cluster.isStoreDown(store)));
    currentPeers.remove(store);
    toRemove.remove(store);
  }

  void addKinds(int k) {
    kinds |= k;
  }

  TreeMap<Long, Metapb.Peer> toAdd() {
    return toAdd;
  }

  TreeMap<Long, Metapb.Peer> toRemove() {
    return toRemove;
  }

  TreeMap<Long, Metapb.Peer> toPromote() {
    return toPromote;
  }

  // ---- leader choice ----

  /** Picks a leader among the target voters when none was asked for, by PD's preferences. */
  void setTargetLeaderIfNotExist() {
    if (targetLeaderStoreId != 0) {
      return;
    }
    List<LongToIntFunction> prefer = List.of(
        s -> b.expectedRoles.get(s) == OperatorBuilder.Role.LEADER ? 1 : 0,
        s -> BuilderCluster.isUp(b.cluster.store(s)) ? 1 : 0,
        s -> s == currentLeaderStoreId ? 1 : 0,
        s -> toPromote.containsKey(s) ? 0 : 1,
        s -> -peerAddStep.getOrDefault(s, 0));
    for (Metapb.Peer peer : b.targetPeers.values()) {
      long s = peer.getStoreId();
      if (!allowLeader(peer, b.forceTargetLeader)
          || b.expectedRoles.get(s) == OperatorBuilder.Role.FOLLOWER) {
        continue;
      }
      if (targetLeaderStoreId == 0) {
        targetLeaderStoreId = s;
        continue;
      }
      for (LongToIntFunction f : prefer) {
        int best = f.applyAsInt(targetLeaderStoreId);
        int next = f.applyAsInt(s);
        if (best < next) {
          targetLeaderStoreId = s;
          break;
        } else if (best > next) {
          break;
        }
      }
    }
  }

  /** Whether the peer may lead: a voter on a store that accepts leaders (or the leader now). */
  boolean allowLeader(Metapb.Peer peer, boolean ignoreClusterLimit) {
    if (peer.getRole() == Metapb.PeerRole.Learner
        || peer.getRole() == Metapb.PeerRole.DemotingVoter) {
      return false;
    }
    if (peer.getStoreId() == currentLeaderStoreId) {
      return true;
    }
    StoreInfo store = b.cluster.store(peer.getStoreId());
    if (store == null) {
      return false;
    }
    return ignoreClusterLimit || b.cluster.allowLeaderOn(store);
  }

  /** How many location labels, from the top, two stores share. */
  int labelMatch(long x, long y) {
    StoreInfo sx = b.cluster.store(x);
    StoreInfo sy = b.cluster.store(y);
    if (sx == null || sy == null) {
      return 0;
    }
    List<String> labels = b.cluster.locationLabels();
    for (int i = 0; i < labels.size(); i++) {
      if (!labelValue(sx, labels.get(i)).equals(labelValue(sy, labels.get(i)))) {
        return i;
      }
    }
    return labels.size();
  }

  private static String labelValue(StoreInfo s, String key) {
    for (Metapb.StoreLabel l : s.meta().getLabelsList()) {
      if (l.getKey().equalsIgnoreCase(key)) {
        return l.getValue();
      }
    }
    return "";
  }

  boolean storeUp(long storeId) {
    return BuilderCluster.isUp(b.cluster.store(storeId));
  }

  static boolean isLearner(Metapb.Peer p) {
    return p.getRole() == Metapb.PeerRole.Learner;
  }

  static <T> int compare(List<ToIntFunction<T>> prefer, T best, T next) {
    for (ToIntFunction<T> f : prefer) {
      int c = Integer.compare(f.applyAsInt(best), f.applyAsInt(next));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
