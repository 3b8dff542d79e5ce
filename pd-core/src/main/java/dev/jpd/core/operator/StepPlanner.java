package dev.jpd.core.operator;

import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One planning pass of an {@link OperatorBuilder}: diffs origin and target peers into peers to
 * add, remove, promote and demote, then emits steps with or without joint consensus (PD's
 * {@code prepareBuild}, {@code buildStepsWithJointConsensus}, {@code
 * buildStepsWithoutJointConsensus}). Maps are keyed and iterated by store id, so plans are
 * deterministic. Holds the simulated current leader as the steps are emitted; the simulated
 * membership is {@link PairPlanner}'s, the only plan that reads it.
 *
 * <p>Cost note: this runs once per operator, and a Down store means one operator per region it
 * held, so the sets are {@link PeerMap}s, steps go into a plain array, the add-step record is two
 * small arrays and leader preferences are a method, not a list of lambdas. The joint plan makes
 * no role-changed peer copies: an added voter is emitted as a learner by flag, and demoted
 * voters stay their origin peers (only store and id are read). Loops that emit steps take the
 * first peer of a set until it is empty: each emit removes that peer, so this is the same order
 * as iterating a snapshot of the set, without the copy.
 */
final class StepPlanner {
  private final OperatorBuilder b;
  private final PeerMap toAdd = new PeerMap();
  private final PeerMap toRemove = new PeerMap();
  private final PeerMap toPromote = new PeerMap();
  /** Voters to demote, as their origin peers: only store and peer id are read. */
  private final PeerMap toDemote = new PeerMap();
  long currentLeaderStoreId;
  long targetLeaderStoreId;
  private OpStep[] steps = new OpStep[6];
  private int stepCount;
  /** At which step count a peer was added (later adds make worse leaders); parallel arrays. */
  private long[] addedStores = NO_STORES;
  private int[] addedAtStep = NO_STEPS;
  private int addedCount;
  private boolean useJointConsensus;
  private int kinds;
  private String brief = "";

  StepPlanner(OperatorBuilder b) {
    this.b = b;
    this.currentLeaderStoreId = b.originLeaderStoreId;
    this.targetLeaderStoreId = b.targetLeaderStoreId;
  }

  String brief() {
    return brief;
  }

  int kinds() {
    return kinds;
  }

  private static final long[] NO_STORES = {};
  private static final int[] NO_STEPS = {};

  /** The steps emitted, as an immutable list. */
  List<OpStep> steps() {
    return immutable(steps, stepCount);
  }

  int stepCount() {
    return stepCount;
  }

  private void addStep(OpStep step) {
    if (stepCount == steps.length) {
      steps = Arrays.copyOf(steps, stepCount * 2);
    }
    steps[stepCount++] = step;
  }

  /** At which step count the peer on the store was added, 0 if it was not. */
  int peerAddStep(long storeId) {
    for (int i = 0; i < addedCount; i++) {
      if (addedStores[i] == storeId) {
        return addedAtStep[i];
      }
    }
    return 0;
  }

  private void setPeerAddStep(long storeId, int step) {
    for (int i = 0; i < addedCount; i++) {
      if (addedStores[i] == storeId) {
        addedAtStep[i] = step;
        return;
      }
    }
    if (addedCount == addedStores.length) {
      int capacity = Math.max(2, addedCount * 2);
      addedStores = Arrays.copyOf(addedStores, capacity);
      addedAtStep = Arrays.copyOf(addedAtStep, capacity);
    }
    addedStores[addedCount] = storeId;
    addedAtStep[addedCount++] = step;
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
    return useJointConsensus
        ? buildWithJointConsensus()
        : new PairPlanner(this, b.originPeers).build();
  }

  // ---- prepare ----

  private String prepare() {
    useJointConsensus = b.cluster.jointConsensus();
    PeerMap origin = b.originPeers;
    PeerMap target = b.targetPeers;
    boolean anyVoter = false;
    for (int i = 0; i < target.size(); i++) {
      anyVoter |= !isLearner(target.peerAt(i));
    }
    if (!anyVoter) {
      return "cannot create operator: target peers have no voter";
    }
    for (int i = 0; i < origin.size(); i++) {
      Metapb.Peer o = origin.peerAt(i);
      Metapb.Peer n = target.get(o.getStoreId());
      if (n == null) {
        toRemove.put(o);
        continue;
      }
      if (isLearner(o) && !isLearner(n)) {
        toPromote.put(withRoleOf(o, n));
      } else if (!isLearner(o) && isLearner(n)) {
        if (useJointConsensus) {
          toDemote.put(o);
        } else {
          toRemove.put(o); // re-added as a learner below
        }
      }
    }
    for (int i = 0; i < target.size(); i++) {
      Metapb.Peer n = target.peerAt(i);
      Metapb.Peer o = origin.get(n.getStoreId());
      if (o == null || (!useJointConsensus && !isLearner(o) && isLearner(n))) {
        if (n.getId() == 0 || o != null) {
          n = n.toBuilder().setId(b.cluster.allocPeerId()).build();
        }
        toAdd.put(n);
      }
    }
    Metapb.Peer leader = target.get(targetLeaderStoreId);
    if (leader == null || isLearner(leader)) {
      targetLeaderStoreId = 0;
    }
    if (targetLeaderStoreId != 0
        && !allowLeader(target.get(targetLeaderStoreId), b.forceTargetLeader)) {
      return "cannot create operator: target leader store " + targetLeaderStoreId
          + " is not allowed to lead";
    }
    // One simple change needs no joint state, except 2 voters to 1 (tikv/pd#4411).
    if (toAdd.size() + toRemove.size() + toPromote.size() <= 1 && toDemote.isEmpty()
        && !(toRemove.size() == 1 && target.size() == 1)) {
      useJointConsensus = false;
    }
    brief = makeBrief();
    return null;
  }

  /** The origin's peer (its id wins) with the target's role. */
  private static Metapb.Peer withRoleOf(Metapb.Peer origin, Metapb.Peer target) {
    return origin.toBuilder().setRole(target.getRole()).build();
  }

  /**
   * PD's brief; store lists read {@code [1 4]}, as PD prints them. A list of one store, the
   * usual case, is one string concatenation, which allocates only the exact result.
   */
  private String makeBrief() {
    if (!toAdd.isEmpty() && !toRemove.isEmpty()) {
      String mv = b.lightWeight ? "mv light peer" : "mv peer";
      if (toRemove.size() == 1 && toAdd.size() == 1) {
        return mv + ": store [" + toRemove.peerAt(0).getStoreId() + "] to ["
            + toAdd.peerAt(0).getStoreId() + "]";
      }
      StringBuilder sb = new StringBuilder(40).append(mv).append(": store ");
      toRemove.appendStores(sb).append(" to ");
      return toAdd.appendStores(sb).toString();
    }
    if (!toAdd.isEmpty()) {
      return stores("add peer: store ", toAdd);
    }
    if (!toRemove.isEmpty()) {
      return stores("rm peer: store ", toRemove);
    }
    if (!toPromote.isEmpty()) {
      return stores("promote peer: store ", toPromote);
    }
    if (!toDemote.isEmpty()) {
      return stores("demote peer: store ", toDemote);
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

  private static String stores(String prefix, PeerMap m) {
    if (m.size() == 1) {
      return prefix + "[" + m.peerAt(0).getStoreId() + "]";
    }
    return m.appendStores(new StringBuilder(prefix.length() + 16).append(prefix)).toString();
  }

  // ---- joint consensus ----

  private String buildWithJointConsensus() {
    while (!toAdd.isEmpty()) {
      Metapb.Peer peer = toAdd.peerAt(0); // execAddPeer removes it
      execAddPeer(peer, true);
      if (!isLearner(peer)) {
        toPromote.put(peer);
      }
      kinds |= OpKind.REGION.bit();
    }
    setTargetLeaderIfNotExist();
    if (targetLeaderStoreId == 0) {
      return "no valid leader";
    }
    for (int i = 0; i < toRemove.size(); i++) {
      Metapb.Peer peer = toRemove.peerAt(i);
      if (!isLearner(peer)) {
        toDemote.put(peer);
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
    while (!toRemove.isEmpty()) {
      execRemovePeer(toRemove.peerAt(0)); // removes it
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
    // Immutable lists, so Enter and Leave share them instead of copying.
    List<PromoteLearner> promotes = promotes(toPromote);
    List<DemoteVoter> demotes = demotes(toDemote);
    toPromote.clear();
    toDemote.clear();
    if (needEnter) {
      addStep(new ChangePeerV2Enter(promotes, demotes));
    }
    if (needTransferLeader && b.originLeaderStoreId != targetLeaderStoreId) {
      execTransferLeader(targetLeaderStoreId);
    }
    if (!(needEnter && promotes.size() + demotes.size() == 1)) {
      addStep(new ChangePeerV2Leave(promotes, demotes));
    }
  }

  private static List<PromoteLearner> promotes(PeerMap m) {
    return stepPerPeer(m, PromoteLearner::new, PromoteLearner[]::new);
  }

  private static List<DemoteVoter> demotes(PeerMap m) {
    return stepPerPeer(m, DemoteVoter::new, DemoteVoter[]::new);
  }

  /** Makes a step from a peer's store id and peer id. */
  private interface PeerStep<T> {
    T of(long storeId, long peerId);
  }

  /** One step per peer of {@code m}, in store order, as an immutable list. */
  private static <T> List<T> stepPerPeer(PeerMap m, PeerStep<T> step, IntFunction<T[]> array) {
    if (m.size() == 1) { // the usual case, without an array
      return List.of(step.of(m.peerAt(0).getStoreId(), m.peerAt(0).getId()));
    }
    T[] out = array.apply(m.size());
    for (int i = 0; i < out.length; i++) {
      out[i] = step.of(m.peerAt(i).getStoreId(), m.peerAt(i).getId());
    }
    return immutable(out, out.length);
  }

  /**
   * The first n elements as an immutable list. Fixed-arity {@code List.of} keeps its argument
   * array; the varargs form copies it, so a copied array would be copied twice.
   */
  private static <T> List<T> immutable(T[] a, int n) {
    return switch (n) {
      case 0 -> List.of();
      case 1 -> List.of(a[0]);
      case 2 -> List.of(a[0], a[1]);
      case 3 -> List.of(a[0], a[1], a[2]);
      case 4 -> List.of(a[0], a[1], a[2], a[3]);
      case 5 -> List.of(a[0], a[1], a[2], a[3], a[4]);
      case 6 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5]);
      default -> List.of(Arrays.copyOf(a, n));
    };
  }

  /** Seeds the promote/demote sets from a region in a joint state (leave-joint-state). */
  void seedJointState() {
    for (int i = 0; i < b.originPeers.size(); i++) {
      Metapb.Peer o = b.originPeers.peerAt(i);
      if (o.getRole() == Metapb.PeerRole.IncomingVoter) {
        toPromote.put(o);
      } else if (o.getRole() == Metapb.PeerRole.DemotingVoter) {
        toDemote.put(o);
      }
    }
  }

  // ---- emitting steps ----

  void execTransferLeader(long toStore) {
    addStep(new TransferLeader(currentLeaderStoreId, toStore, b.targetLeaderStoreIds));
    currentLeaderStoreId = toStore;
  }

  /** Adds the peer as a learner, then promotes it unless it is a learner or {@code learnerOnly}. */
  void execAddPeer(Metapb.Peer peer, boolean learnerOnly) {
    addStep(new AddLearner(peer.getStoreId(), peer.getId(), b.lightWeight));
    if (!learnerOnly && !isLearner(peer)) {
      addStep(new PromoteLearner(peer.getStoreId(), peer.getId()));
    }
    setPeerAddStep(peer.getStoreId(), stepCount);
    toAdd.remove(peer.getStoreId());
  }

  void execPromoteLearner(Metapb.Peer peer) {
    addStep(new PromoteLearner(peer.getStoreId(), peer.getId()));
    toPromote.remove(peer.getStoreId());
  }

  void execRemovePeer(Metapb.Peer peer) {
    long store = peer.getStoreId();
    addStep(new RemovePeer(store, peer.getId(), b.cluster.isStoreDown(store)));
    toRemove.remove(store);
  }

  void addKinds(int k) {
    kinds |= k;
  }

  PeerMap toAdd() {
    return toAdd;
  }

  PeerMap toRemove() {
    return toRemove;
  }

  PeerMap toPromote() {
    return toPromote;
  }

  // ---- leader choice ----

  /** Picks a leader among the target voters when none was asked for, by PD's preferences. */
  void setTargetLeaderIfNotExist() {
    if (targetLeaderStoreId != 0) {
      return;
    }
    PeerMap target = b.targetPeers;
    for (int i = 0; i < target.size(); i++) {
      Metapb.Peer peer = target.peerAt(i);
      long s = peer.getStoreId();
      if (!allowLeader(peer, b.forceTargetLeader)
          || b.expectedRole(s) == OperatorBuilder.Role.FOLLOWER) {
        continue;
      }
      if (targetLeaderStoreId == 0 || compareLeaders(targetLeaderStoreId, s) < 0) {
        targetLeaderStoreId = s;
      }
    }
  }

  /**
   * Negative when {@code next} makes a better leader than {@code best}: by PD's preferences, most
   * important first — expected LEADER role, an Up store, the current leader, not waiting for a
   * promotion, added earliest.
   */
  private int compareLeaders(long best, long next) {
    int c = Boolean.compare(b.expectedRole(best) == OperatorBuilder.Role.LEADER,
        b.expectedRole(next) == OperatorBuilder.Role.LEADER);
    if (c == 0) {
      c = Boolean.compare(storeUp(best), storeUp(next));
    }
    if (c == 0) {
      c = Boolean.compare(best == currentLeaderStoreId, next == currentLeaderStoreId);
    }
    if (c == 0) {
      c = Boolean.compare(!toPromote.containsKey(best), !toPromote.containsKey(next));
    }
    if (c == 0) {
      c = Integer.compare(-peerAddStep(best), -peerAddStep(next));
    }
    return c;
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
}
