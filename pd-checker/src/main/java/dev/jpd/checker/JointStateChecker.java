package dev.jpd.checker;

import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.region.RegionInfo;
import java.util.List;

/**
 * A region left in a joint state (a peer IncomingVoter or DemotingVoter, e.g. after a PD restart
 * mid-change) gets {@code leave-joint-state} at high priority (PD's {@code
 * joint_state_checker.go}); the leader moves off a demoting voter first.
 */
final class JointStateChecker implements Checker {
  static final String NAME = "joint-state";

  private final CheckerCluster cluster;

  JointStateChecker(CheckerCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    if (!req.inJointState(region)) {
      return List.of();
    }
    req.saw("region is in a joint state");
    BuildResult<Operator> r = OperatorCreator.createLeaveJointStateOperator(
        OperatorCreator.DESC_LEAVE_JOINT_STATE, cluster, region, cluster.clock().millis());
    if (!r.ok()) {
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
      return List.of();
    }
    return List.of(r.value());
  }
}
