package dev.jpd.checker;

import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorBuilder;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Metapb;
import java.util.List;

/**
 * While placement rules are off every learner is to become a voter: {@code promote-learner}
 * (PD's {@code learner_checker.go}). A pending learner (still catching up) is left until it has
 * caught up, since TiKV would refuse the promotion.
 */
final class LearnerChecker implements Checker {
  static final String NAME = "learner";

  private final CheckerCluster cluster;

  LearnerChecker(CheckerCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    if (req.learnerCount(region) == 0) {
      return List.of();
    }
    for (Metapb.Peer p : region.learners()) {
      if (region.getPendingPeer(p.getId()) != null) {
        req.saw("learner " + p.getId() + " on store " + p.getStoreId() + " is pending");
        req.reason(Reason.NOT_READY, "learner " + p.getId() + " is still catching up");
        continue;
      }
      BuildResult<Operator> r = OperatorBuilder.of("promote-learner", cluster, region)
          .promoteLearner(p.getStoreId()).build(0, cluster.clock().millis());
      if (r.ok()) {
        return List.of(r.value());
      }
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
    }
    return List.of();
  }
}
