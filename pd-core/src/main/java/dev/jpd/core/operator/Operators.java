package dev.jpd.core.operator;

import dev.jpd.core.region.RegionInfo;
import java.util.List;
import java.util.Optional;

/**
 * What the rest of the PD asks of the operator controller: the checkers and schedulers hand it
 * operators, the heartbeat path hands it every reported region, the API reads and removes. The
 * server wires this to the controller in {@code pd-scheduler}, so that {@code pd-checker} and
 * {@code pd-scheduler} need not know each other.
 */
public interface Operators {

  /** The outcome of adding operators: accepted, or refused with PD's words for why. */
  record AddResult(boolean accepted, String reason) {
    public static final AddResult OK = new AddResult(true, "");

    public static AddResult refused(String reason) {
      return new AddResult(false, reason);
    }
  }

  /** Where {@link #dispatch} was called from. */
  enum DispatchSource {
    /** A region heartbeat reported the region: the moment to judge progress and staleness. */
    HEARTBEAT,
    /** The push tick re-sends the current step of operators whose region was quiet. */
    PUSH
  }

  /**
   * Starts the operators at once (admin operators, PD's {@code AddOperator}); a merge pair is
   * added together or not at all. Store limits are not checked for urgent operators.
   */
  AddResult add(Operator... ops);

  /**
   * Queues the operators by priority (checkers and schedulers, PD's {@code AddWaitingOperator});
   * they start when limits allow.
   */
  AddResult addWaiting(Operator... ops);

  /** Judges the region's running operator from the reported region and sends its next step. */
  void dispatch(RegionInfo region, DispatchSource source);

  /** The running operator of the region, if any. */
  Optional<Operator> get(long regionId);

  /** The running operator, or the last one finished within the records' retention (10 min). */
  Optional<Operator> getWithRecord(long regionId);

  /** All running operators. */
  List<Operator> running();

  /** Finished operators whose end is at or after {@code fromMillis}, oldest first. */
  List<Operator> records(long fromMillis);

  /** Cancels the region's running operator; false when it has none. */
  boolean remove(long regionId, CancelReason reason);

  /** Cancels every running and waiting operator; returns how many were running. */
  int removeAll(CancelReason reason);

  /** Running operators counted under this kind (their lowest kind bit), for schedule limits. */
  long count(OpKind kind);

  /** The influence of every running operator's unfinished steps, for scoring stores. */
  OpInfluence influence();
}
