/**
 * The operator model (PD's {@code pkg/schedule/operator}): what the PD asks of a region, as an
 * ordered list of steps, each sent to the region's leader on its heartbeat stream and judged done
 * only from what the region reports afterwards.
 *
 * <ul>
 *   <li>{@link dev.jpd.core.operator.OpStep}: a sealed interface of records — TransferLeader,
 *       AddPeer, AddLearner, PromoteLearner, DemoteVoter, RemovePeer, ChangePeerV2Enter,
 *       ChangePeerV2Leave, MergeRegion, SplitRegion. Each answers IsFinish, CheckInProgress, its
 *       conf_ver effect, its influence on store load, its command and its size-aware timeout.
 *   <li>{@link dev.jpd.core.operator.Operator}: description, kinds, priority, the steps and
 *       their progress, and a status machine ({@link dev.jpd.core.operator.OpStatus}) written
 *       as a transition table.
 *   <li>{@link dev.jpd.core.operator.OpInfluence}: what running operators will do to each
 *       store's counts, sizes and store-limit costs.
 *   <li>{@link dev.jpd.core.operator.OperatorBuilder}: plans a membership change (PD's
 *       {@code builder.go}) against a narrow {@link dev.jpd.core.operator.BuilderCluster} view,
 *       with or without joint consensus, collecting every error into a {@link
 *       dev.jpd.core.operator.BuildResult} instead of failing half-way.
 *   <li>{@link dev.jpd.core.operator.OperatorCreator}: PD's {@code create_operator.go} — transfer
 *       leader, add/remove/promote/demote, move region, move peer (replace), move leader, split,
 *       merge (the linked {@link dev.jpd.core.operator.MergePair}) and leave joint state.
 * </ul>
 *
 * <p>Where this differs from PD on purpose: a voter turned learner without joint consensus is
 * re-added with a newly allocated peer id (TiKV refuses a removed peer id on the same store),
 * and a store's new peer is never planned before its old peer is removed.
 *
 * Time is always passed in (unix millis from the caller's injected clock): nothing here reads
 * the system clock.
 */
package dev.jpd.core.operator;
