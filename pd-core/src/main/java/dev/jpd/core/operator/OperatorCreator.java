package dev.jpd.core.operator;

import com.google.protobuf.ByteString;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operators checkers, schedulers and the admin API make (PD's {@code create_operator.go}).
 * Each takes the caller's description ("admin-move-region", "replace-rule-offline-peer", ...),
 * kinds and creation time, and returns the operator or every error found.
 */
public final class OperatorCreator {
  private OperatorCreator() {}

  /** PD's description of the operator that takes a region out of a joint state. */
  public static final String DESC_LEAVE_JOINT_STATE = "leave-joint-state";

  /** Adds a peer (peer id 0 is allocated); a voter is added as a learner and then promoted. */
  public static BuildResult<Operator> createAddPeerOperator(String desc, BuilderCluster cluster,
      RegionInfo region, Metapb.Peer peer, int kinds, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).addPeer(peer).build(kinds, nowMillis);
  }

  /** Adds a learner on the store. */
  public static BuildResult<Operator> createAddLearnerOperator(String desc, BuilderCluster cluster,
      RegionInfo region, long storeId, int kinds, long nowMillis) {
    Metapb.Peer learner = Metapb.Peer.newBuilder().setStoreId(storeId)
        .setRole(Metapb.PeerRole.Learner).build();
    return createAddPeerOperator(desc, cluster, region, learner, kinds, nowMillis);
  }

  /** Removes the peer on the store (the leader moves away first when it is there). */
  public static BuildResult<Operator> createRemovePeerOperator(String desc, BuilderCluster cluster,
      int kinds, RegionInfo region, long storeId, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).removePeer(storeId).build(kinds, nowMillis);
  }

  /** Promotes the learner on the store to voter. */
  public static BuildResult<Operator> createPromoteLearnerOperator(String desc,
      BuilderCluster cluster, RegionInfo region, long storeId, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).promoteLearner(storeId).build(0, nowMillis);
  }

  /** Demotes the voter on the store to learner. */
  public static BuildResult<Operator> createDemoteVoterOperator(String desc, BuilderCluster cluster,
      RegionInfo region, long storeId, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).demoteVoter(storeId).build(0, nowMillis);
  }

  /**
   * Moves the leader to {@code targetStore}, or to any of {@code targetStores} (multi-target
   * evict-leader). Allowed while the region is in a joint state.
   */
  public static BuildResult<Operator> createTransferLeaderOperator(String desc,
      BuilderCluster cluster, RegionInfo region, long targetStore, List<Long> targetStores,
      int kinds, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).skipOriginJointStateCheck()
        .setLeader(targetStore).setLeaders(targetStores).build(kinds, nowMillis);
  }

  /** Moves the leader even onto a store the leader filters would refuse. */
  public static BuildResult<Operator> createForceTransferLeaderOperator(String desc,
      BuilderCluster cluster, RegionInfo region, long targetStore, int kinds, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).skipOriginJointStateCheck()
        .setLeader(targetStore).enableForceTargetLeader().build(kinds, nowMillis);
  }

  /**
   * Moves the region onto exactly these stores with these roles ("admin-move-region"): new
   * stores get new peers, stores not named lose theirs, the LEADER store leads.
   */
  public static BuildResult<Operator> createMoveRegionOperator(String desc, BuilderCluster cluster,
      RegionInfo region, int kinds, Map<Long, OperatorBuilder.Role> roles, long nowMillis) {
    Map<Long, Metapb.Peer> peers = new TreeMap<>();
    roles.forEach((store, role) -> peers.put(store,
        Metapb.Peer.newBuilder().setStoreId(store).setRole(role.metaRole()).build()));
    return OperatorBuilder.of(desc, cluster, region).setPeers(peers).setExpectedRoles(roles)
        .build(kinds, nowMillis);
  }

  /** Replaces the peer on {@code oldStore} with {@code peer} (PD's move-peer). */
  public static BuildResult<Operator> createMovePeerOperator(String desc, BuilderCluster cluster,
      RegionInfo region, int kinds, long oldStore, Metapb.Peer peer, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).removePeer(oldStore).addPeer(peer)
        .build(kinds, nowMillis);
  }

  /** Replaces the peer on {@code oldStore} and moves the leader to {@code leaderStore}. */
  public static BuildResult<Operator> createReplaceLeaderPeerOperator(String desc,
      BuilderCluster cluster, RegionInfo region, int kinds, long oldStore, Metapb.Peer peer,
      long leaderStore, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).removePeer(oldStore).addPeer(peer)
        .setLeader(leaderStore).build(kinds, nowMillis);
  }

  /** Replaces the leader's peer on {@code oldStore} with {@code peer}, which then leads. */
  public static BuildResult<Operator> createMoveLeaderOperator(String desc, BuilderCluster cluster,
      RegionInfo region, int kinds, long oldStore, Metapb.Peer peer, long nowMillis) {
    return OperatorBuilder.of(desc, cluster, region).removePeer(oldStore).addPeer(peer)
        .setLeader(peer.getStoreId()).build(kinds, nowMillis);
  }

  /**
   * Splits the region by the policy, or at the keys when given. Kinds get {@link OpKind#SPLIT};
   * the brief names the keys in hex.
   */
  public static BuildResult<Operator> createSplitRegionOperator(String desc, RegionInfo region,
      int kinds, Pdpb.CheckPolicy policy, List<ByteString> keys, long nowMillis) {
    if (Steps.inJointState(region)) {
      return BuildResult.failed("cannot split region " + region.id() + " which is in joint state");
    }
    StringBuilder brief = new StringBuilder("split: region " + region.id() + " use policy " + policy);
    if (!keys.isEmpty()) {
      List<String> hex = new ArrayList<>();
      keys.forEach(k -> hex.add(hex(k)));
      brief.append(" and keys [").append(String.join(" ", hex)).append(']');
    }
    Operator op = new Operator(desc, brief.toString(), region.id(), region.epoch(),
        kinds | OpKind.SPLIT.bit(), region.approximateSize(), Priority.MEDIUM,
        List.of(new SplitRegion(region.startKey(), region.endKey(), policy, keys)), nowMillis);
    op.additionalInfo().put("region-start-key", hex(region.startKey()));
    op.additionalInfo().put("region-end-key", hex(region.endKey()));
    return BuildResult.ok(op);
  }

  /**
   * Merges {@code source} into its neighbour {@code target}: the active operator first moves the
   * source's peers onto the target's stores (when they differ), then merges; the passive one
   * holds the target. Both get {@link OpKind#MERGE} and the same creation time.
   */
  public static BuildResult<MergePair> createMergeRegionOperator(String desc,
      BuilderCluster cluster, RegionInfo source, RegionInfo target, int kinds, long nowMillis) {
    if (Steps.inJointState(source) || Steps.inJointState(target)) {
      return BuildResult.failed("cannot merge regions " + source.id() + " and " + target.id()
          + " which are in joint state");
    }
    List<OpStep> steps = new ArrayList<>();
    if (!sameStoresAndRoles(source, target)) {
      Map<Long, Metapb.Peer> peers = new TreeMap<>();
      for (Metapb.Peer p : target.peers()) {
        peers.put(p.getStoreId(), Metapb.Peer.newBuilder().setStoreId(p.getStoreId())
            .setRole(p.getRole()).build());
      }
      BuildResult<Operator> match =
          OperatorBuilder.of("", cluster, source).setPeers(peers).build(kinds, nowMillis);
      if (!match.ok()) {
        return BuildResult.failed(match.errors());
      }
      steps.addAll(match.value().steps());
      kinds = match.value().kinds();
    }
    steps.add(new MergeRegion(source.meta(), target.meta(), false));
    String brief = "merge: region " + source.id() + " to " + target.id();
    Operator active = new Operator(desc, brief, source.id(), source.epoch(),
        kinds | OpKind.MERGE.bit(), source.approximateSize(), Priority.MEDIUM, steps, nowMillis);
    Operator passive = new Operator(desc, brief, target.id(), target.epoch(),
        kinds | OpKind.MERGE.bit(), target.approximateSize(), Priority.MEDIUM,
        List.of(new MergeRegion(source.meta(), target.meta(), true)), nowMillis);
    return BuildResult.ok(new MergePair(active, passive));
  }

  /**
   * Takes a region out of a joint state: the leader moves off a demoting voter first when it is
   * on one, then an empty ChangePeerV2 leaves.
   */
  public static BuildResult<Operator> createLeaveJointStateOperator(String desc,
      BuilderCluster cluster, RegionInfo region, long nowMillis) {
    OperatorBuilder b = OperatorBuilder.of(desc, cluster, region).skipOriginJointStateCheck();
    if (!b.errors.isEmpty()) {
      return BuildResult.failed(b.errors);
    }
    if (!Steps.inJointState(region)) {
      return BuildResult.failed("cannot build leave joint state operator for region "
          + region.id() + " which is not in joint state");
    }
    StepPlanner planner = new StepPlanner(b);
    planner.seedJointState();
    Metapb.Peer leader = b.originPeers.get(b.originLeaderStoreId);
    planner.targetLeaderStoreId =
        leader != null && planner.allowLeader(leader, true) ? b.originLeaderStoreId : 0;
    planner.setTargetLeaderIfNotExist();
    if (planner.targetLeaderStoreId == 0) {
      b.forceTargetLeader = true; // TiKV refuses to leave while a demoting voter leads
      planner.setTargetLeaderIfNotExist();
    }
    int kinds = 0;
    if (planner.targetLeaderStoreId != 0 && planner.targetLeaderStoreId != b.originLeaderStoreId) {
      kinds |= OpKind.LEADER.bit();
    }
    planner.execChangePeerV2(false, true);
    return BuildResult.ok(new Operator(desc, "leave joint state", region.id(), region.epoch(),
        kinds, region.approximateSize(), Priority.HIGH, planner.steps(), nowMillis));
  }

  private static boolean sameStoresAndRoles(RegionInfo a, RegionInfo b) {
    if (a.peers().size() != b.peers().size()) {
      return false;
    }
    for (Metapb.Peer pa : a.peers()) {
      Metapb.Peer pb = b.getStorePeer(pa.getStoreId());
      if (pb == null || StepPlanner.isLearner(pa) != StepPlanner.isLearner(pb)) {
        return false;
      }
    }
    return true;
  }

  private static String hex(ByteString key) {
    return HexFormat.of().withUpperCase().formatHex(key.toByteArray());
  }
}
