package dev.jpd.checker;

import dev.jpd.core.operator.BuilderCluster;
import java.time.Clock;

/**
 * Everything a checker sees of the cluster: regions, stores, the checker config, what the
 * operator builder needs (stores, peer ids, joint consensus) and the seams to labels, hot regions
 * and store limits. Made of small read interfaces; never the server. {@link CacheCheckerCluster}
 * is the implementation over the region and store caches.
 */
public interface CheckerCluster extends RegionReader, StoreReader, BuilderCluster, ClusterSeams {

  /** The config now (a fresh view after every config change). */
  CheckerConfig config();

  /** The clock every check reads "now" from. */
  Clock clock();
}
