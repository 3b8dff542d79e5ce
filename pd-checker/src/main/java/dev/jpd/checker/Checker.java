package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.region.RegionInfo;
import java.util.List;

/**
 * One checker: looks at one region and returns the operators that would heal it (usually one; a
 * merge returns its linked pair), or an empty list. Pure with respect to the cluster: it reads the
 * {@link CheckerCluster} it was made with and writes only into the request.
 */
public interface Checker {

  /** The name for the pause API and the diagnosis: joint-state, split, learner, replica, ... */
  String name();

  /** The operators for the region, or an empty list; explains itself into {@code req}. */
  List<Operator> check(RegionInfo region, CheckRequest req);
}
