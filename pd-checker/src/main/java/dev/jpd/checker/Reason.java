package dev.jpd.checker;

/** Why a checker made no operator (or that it made one), as a diagnosis shows it. */
public enum Reason {
  /** The checker built an operator. */
  BUILT("built"),
  /** The region is fine as far as this checker is concerned. */
  NOTHING_TO_DO("nothing-to-do"),
  /** The checker does not apply (its {@code enable-*} switch is off, or another mode is on). */
  DISABLED("disabled"),
  /** Paused through {@code /checker/{name}}. */
  PAUSED("paused"),
  /** The region carries {@code schedule=deny}. */
  SCHEDULE_DENY("schedule-deny"),
  /** {@code replica-schedule-limit} or {@code merge-schedule-limit} reached. */
  SCHEDULE_LIMIT("schedule-limit"),
  /** A target or source store is at its store limit. */
  STORE_LIMIT("store-limit"),
  /** The region already has an operator. */
  PENDING_OPERATOR("pending-operator"),
  /** No store qualified; the rejected stores say why each was filtered out. */
  NO_TARGET_STORE("no-target-store"),
  /** No store holding a peer qualified for removal. */
  NO_SOURCE_STORE("no-source-store"),
  /**
   * The region spans a placement-rule boundary, so no rule applies to all of it: the split
   * checker cuts it first (PD's rule checker counts these as {@code need-split}).
   */
  NEED_SPLIT("need-split"),
  /** Not now: recently started or split, no leader, unhealthy, not replicated, hot, no neighbour. */
  NOT_READY("not-ready"),
  /** The operator builder refused; the detail has its errors. */
  CREATE_FAILED("create-operator-failed");

  private final String text;

  Reason(String text) {
    this.text = text;
  }

  /** The lower-case form used in diagnoses and metrics. */
  public String text() {
    return text;
  }
}
