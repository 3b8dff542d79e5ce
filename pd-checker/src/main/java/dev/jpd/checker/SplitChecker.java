package dev.jpd.checker;

import com.google.protobuf.ByteString;
import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * A region crossing a boundary is split there (PD's {@code split_checker.go}): first the
 * region-label rule boundaries ({@code labeler-split-region}, from {@link
 * ClusterSeams#labelSplitKeys}), then, while placement rules are on, the placement-rule boundaries
 * ({@code rule-split-region}, from {@link RuleManager#splitKeys}). The two are not merged into one
 * operator, as in PD, so the operator's name says why the region was cut.
 */
final class SplitChecker implements Checker {
  static final String NAME = "split";

  private final CheckerCluster cluster;
  private final RuleManager rules; // null: no placement rules

  SplitChecker(CheckerCluster cluster, RuleManager rules) {
    this.cluster = cluster;
    this.rules = rules;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    String desc = "labeler-split-region";
    String what = "region-label rule";
    List<byte[]> keys = cluster.labelSplitKeys(region);
    if (keys.isEmpty() && rules != null && cluster.config().enablePlacementRules()) {
      desc = "rule-split-region";
      what = "placement rule";
      keys = rules.splitKeys(region.startKey().toByteArray(), region.endKey().toByteArray());
    }
    if (keys.isEmpty()) {
      return List.of();
    }
    List<ByteString> split = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      split.add(ByteString.copyFrom(k));
    }
    req.saw("region crosses " + keys.size() + " " + what + " boundaries");
    BuildResult<Operator> r = OperatorCreator.createSplitRegionOperator(desc,
        region, 0, Pdpb.CheckPolicy.USEKEY, split, cluster.clock().millis());
    if (!r.ok()) {
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
      return List.of();
    }
    return List.of(r.value());
  }
}
