package dev.jpd.core.store;

/**
 * Store scores as the store JSON and {@code pd_scheduler_store_status} show them. Simplified
 * until the balance schedulers land: leader score = leader count / leader weight (PD's {@code
 * count} leader-schedule-policy), region score = region size (MiB) / region weight (PD's v2
 * formula also weighs in the free space). A zero weight gives a zero score rather than infinity.
 */
public final class StoreScores {
  private StoreScores() {}

  public static double leaderScore(StoreInfo s, long leaderCount) {
    return s.leaderWeight() <= 0 ? 0 : leaderCount / s.leaderWeight();
  }

  public static double regionScore(StoreInfo s, long regionSizeMiB) {
    return s.regionWeight() <= 0 ? 0 : regionSizeMiB / s.regionWeight();
  }
}
