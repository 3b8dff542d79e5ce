package dev.jpd.server.tso;

/**
 * A TSO timestamp: {@code physical} milliseconds since the Unix epoch and a {@code logical}
 * counter below {@link #MAX_LOGICAL}. Its packed form {@code physical << 18 | logical} is the
 * version clients compare (client-java's {@code TiTimestamp.getVersion()}).
 */
public record Timestamp(long physical, long logical) {
  /** Bits of the logical counter in the packed form. */
  public static final int LOGICAL_BITS = 18;

  /** PD's {@code maxLogical}: logical counters stay strictly below it. */
  public static final long MAX_LOGICAL = 1L << LOGICAL_BITS;

  static final long LOGICAL_MASK = MAX_LOGICAL - 1;

  public Timestamp {
    if (physical < 0 || logical < 0 || logical >= MAX_LOGICAL) {
      throw new IllegalArgumentException(
          "invalid timestamp physical=" + physical + " logical=" + logical
              + ": both must be non-negative and logical below " + MAX_LOGICAL);
    }
  }

  /** The packed form, {@code physical << 18 | logical}. */
  public long toTso() {
    return physical << LOGICAL_BITS | logical;
  }

  /** Unpacks {@code physical << 18 | logical}. */
  public static Timestamp fromTso(long tso) {
    return new Timestamp(tso >>> LOGICAL_BITS, tso & LOGICAL_MASK);
  }
}
