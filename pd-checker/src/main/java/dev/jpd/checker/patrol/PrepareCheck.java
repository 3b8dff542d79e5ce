package dev.jpd.checker.patrol;

/**
 * PD's prepare checker: scheduling starts once 90 % ({@code CollectFactor}) of the cached regions
 * have been reported by a heartbeat since this PD started or became leader, or 5 minutes
 * ({@code CollectTimeout}) have passed. A cache with no region (a cluster not bootstrapped yet)
 * is not prepared: PD's coordinator starts only after bootstrap, and the bootstrap region counts
 * as reported only once its leader sends a heartbeat. Once passed it stays passed until {@link
 * #reset}. The count is read at most once a second: counting may scan.
 */
final class PrepareCheck {
  static final double COLLECT_FACTOR = 0.9;
  static final long COLLECT_TIMEOUT_MILLIS = 5 * 60_000L;
  static final long RECHECK_MILLIS = 1_000L;

  private long startMillis;
  private long lastCheckMillis = Long.MIN_VALUE;
  private boolean prepared;

  /** The pure rule. */
  static boolean prepared(int totalRegions, int reportedRegions, long sinceStartMillis) {
    return sinceStartMillis >= COLLECT_TIMEOUT_MILLIS
        || (totalRegions > 0 && reportedRegions >= totalRegions * COLLECT_FACTOR);
  }

  synchronized void reset(long nowMillis) {
    startMillis = nowMillis;
    lastCheckMillis = Long.MIN_VALUE;
    prepared = false;
  }

  interface Counts {
    int total();

    int reported();
  }

  synchronized boolean check(long nowMillis, Counts counts) {
    if (prepared) {
      return true;
    }
    long since = nowMillis - startMillis;
    if (since < COLLECT_TIMEOUT_MILLIS && lastCheckMillis != Long.MIN_VALUE
        && nowMillis - lastCheckMillis < RECHECK_MILLIS) {
      return false;
    }
    lastCheckMillis = nowMillis;
    int total = counts.total();
    prepared = prepared(total, total == 0 ? 0 : counts.reported(), since);
    return prepared;
  }

  synchronized boolean isPrepared() {
    return prepared;
  }
}
