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
 * </ul>
 *
 * Time is always passed in (unix millis from the caller's injected clock): nothing here reads
 * the system clock.
 */
package dev.jpd.core.operator;
