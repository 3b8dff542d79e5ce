package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;
import java.time.Duration;
import java.util.Optional;

/**
 * One step of an operator (PD's {@code OpStep}). Steps are immutable records; whether a step is
 * done is decided only from a region the leader reported after the command was sent.
 *
 * <p>Timeouts scale with the region's approximate size so that a large region never times out
 * only because its snapshot takes long: fast steps max(60 s, 0.6 s per MiB), slow steps (those
 * that send a snapshot) max(10 min, 6 s per MiB).
 */
public sealed interface OpStep
    permits TransferLeader,
        AddPeer,
        AddLearner,
        PromoteLearner,
        DemoteVoter,
        RemovePeer,
        ChangePeerV2Enter,
        ChangePeerV2Leave,
        MergeRegion,
        SplitRegion {

  /** How much this step has moved conf_ver in the reported region (0 if not applied yet). */
  long confVerChanged(RegionInfo region);

  /** Whether the reported region shows this step done. */
  boolean isFinish(RegionInfo region);

  /**
   * Why the step can no longer finish given the reported region (the operator is then canceled
   * as stale), or empty when it can.
   */
  Optional<String> checkInProgress(RegionInfo region);

  /** Adds what this step does to store loads and store-limit costs. */
  void influence(OpInfluence influence, RegionInfo region);

  /** How long the step may run for a region of this approximate size (MiB). */
  Duration timeout(long regionSizeMiB);

  /**
   * The command to send to the region's leader — a response with only its command field set
   * (the controller adds header, region id, epoch and target peer) — or empty when nothing must
   * be sent (e.g. an added peer is still pending). {@code useConfChangeV2} follows the cluster
   * version; joint-consensus steps need it.
   */
  Optional<Pdpb.RegionHeartbeatResponse> command(RegionInfo region, boolean useConfChangeV2);

  /** PD's step type name, as used for the step-duration metric label ("AddLearner"). */
  default String typeName() {
    return getClass().getSimpleName();
  }
}
