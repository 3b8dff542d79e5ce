package dev.jpd.checker;

import com.google.protobuf.ByteString;
import dev.jpd.core.operator.BuildResult;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OperatorCreator;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;
import java.util.ArrayList;
import java.util.List;

/**
 * A region crossing a region-label rule boundary is split there: {@code labeler-split-region}
 * (PD's {@code split_checker.go}). The boundaries come from {@link
 * ClusterSeams#labelSplitKeys}; until region labels land there are none and this checker never
 * builds anything. The placement-rule boundaries ({@code rule-split-region}) come with the rule
 * checker.
 */
final class SplitChecker implements Checker {
  static final String NAME = "split";

  private final CheckerCluster cluster;

  SplitChecker(CheckerCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Operator> check(RegionInfo region, CheckRequest req) {
    List<byte[]> keys = cluster.labelSplitKeys(region);
    if (keys.isEmpty()) {
      return List.of();
    }
    List<ByteString> split = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      split.add(ByteString.copyFrom(k));
    }
    req.saw("region crosses " + keys.size() + " region-label rule boundaries");
    BuildResult<Operator> r = OperatorCreator.createSplitRegionOperator("labeler-split-region",
        region, 0, Pdpb.CheckPolicy.USEKEY, split, cluster.clock().millis());
    if (!r.ok()) {
      req.reason(Reason.CREATE_FAILED, String.join("; ", r.errors()));
      return List.of();
    }
    return List.of(r.value());
  }
}
