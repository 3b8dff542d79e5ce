package dev.jpd.server.tso;

/**
 * What the timestamp oracle reports to {@code pd_tso_events{type}}, with PD's type labels
 * ({@code pkg/tso/metrics.go}). PD's alert {@code PD_leader_change} counts members whose
 * {@code save} moved: only a serving (leader) allocator runs the update loop that counts it.
 */
public enum TsoEvent {
  /** A sync with the persisted window started (on start or becoming leader). */
  SYNC("sync"),
  /** The sync persisted a new window and publishes timestamps. */
  SYNC_OK("sync_ok"),
  /** The sync could not persist its window. */
  ERR_SAVE_SYNC_TS("err_save_sync_ts"),
  /** One pass of the physical-time update loop on a serving allocator (PD counts it as save). */
  SAVE("save"),
  /** The update pass found nothing to move. */
  SKIP_SAVE("skip_save"),
  /** The clock is behind the physical time already handed out. */
  SYSTEM_TIME_SLOW("system_time_slow"),
  /** The update loop could not extend the persisted window. */
  ERR_SAVE_UPDATE_TS("err_save_update_ts"),
  /** A batch did not fit the logical counter and the physical time had to move first. */
  LOGICAL_OVERFLOW("logical_overflow"),
  /** A batch still did not fit after every retry. */
  EXCEEDED_MAX_RETRY("exceeded_max_retry");

  private final String label;

  TsoEvent(String label) {
    this.label = label;
  }

  /** PD's {@code type} label value. */
  public String label() {
    return label;
  }
}
