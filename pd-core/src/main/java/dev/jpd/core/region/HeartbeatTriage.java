package dev.jpd.core.region;

import java.util.ArrayList;
import java.util.List;

/**
 * Heartbeat triage: given what the cache holds and what a leader reports, decide whether the report
 * is stale, whether it must be saved to storage, whether the cache must be updated and whether the
 * update touches the key-range index at all. Pure; no clock, no I/O, no locks.
 *
 * <p>Staleness (PD's {@code check} in {@code pkg/core/region.go}), first match wins:
 *
 * <ol>
 *   <li>an overlapping cached region (other id) has a greater version: the report describes a key
 *       range that has since been split or merged away. The caller passes the overlaps only when
 *       the region is new to the cache or its key range changed; with an unchanged range there are
 *       none to pass;
 *   <li>reported version &lt; cached version;
 *   <li>reported conf_ver &lt; cached conf_ver;
 *   <li>reported term, when non-zero, &lt; cached term (a deposed leader still reporting).
 * </ol>
 *
 * As in PD, a region recreated by online unsafe recovery (version 1 and conf_ver 1, and not the
 * whole key space) is never stale.
 *
 * <p>Saving (PD's {@code regionGuide}):
 *
 * <ul>
 *   <li>saveKv and saveCache: the region is new, version or conf_ver went up, the peer count
 *       changed, or the key range changed (which TiKV never does without a version bump; trusted
 *       rather than dropped). Also an epoch that went back, which only a region recreated by
 *       unsafe recovery gets past the stale check with: storage must follow the cache;
 *   <li>saveCache only: leader changed, peers changed in place (same count and conf_ver), down or
 *       pending peers present now or before, approximate size or keys changed, written or read
 *       bytes changed after rounding to {@value #FLOW_ROUND_DIVISOR} (PD's default
 *       {@code flow-round-by-digit = 3}).
 * </ul>
 *
 * <p>statsOnly: a cached region exists, the report is not stale, and key range, epoch, peers
 * (id, store, role, witness) and leader all equal the cached ones. The cache can then swap the
 * snapshot in its id map without touching the range index.
 */
public final class HeartbeatTriage {
  /** Flows are compared after rounding to this many bytes, so that noise does not count. */
  static final long FLOW_ROUND_DIVISOR = 1000;

  /** Statistics-only decisions, indexed by {@code saveCache + 2 * isNew}. */
  private static final Decision[] STATS_ONLY = {
    new Decision(null, false, false, true, false, List.of()),
    new Decision(null, false, true, true, false, List.of()),
    new Decision(null, false, false, true, true, List.of()),
    new Decision(null, false, true, true, true, List.of()),
  };

  private HeartbeatTriage() {}

  /**
   * What to do with one heartbeat.
   *
   * @param staleReason null unless the report must be rejected; then PD's "region is stale" with
   *     the epoch (or term) that lost, e.g. {@code region 5 is stale: reported version 3 < cached
   *     version 4}
   * @param saveKv the region metadata must be written to storage
   * @param saveCache the change is worth propagating (cache, followers, statistics)
   * @param statsOnly only statistics differ from the cached region: no range-index write needed
   * @param isNew no cached region had this id, or the cached one had no leader (loaded from
   *     storage); PD's prepare checker counts these
   * @param events one-line log messages in PD's words with old and new values, in order
   */
  public record Decision(
      String staleReason,
      boolean saveKv,
      boolean saveCache,
      boolean statsOnly,
      boolean isNew,
      List<String> events) {
    public Decision {
      // Most decisions have no events: skip the copy (the hot statistics-only path).
      events = events.isEmpty() ? List.of() : List.copyOf(events);
    }

    /** The report must be rejected: nothing is changed, the reason goes back to the store. */
    public boolean stale() {
      return staleReason != null;
    }

    static Decision rejected(String reason) {
      return new Decision(reason, false, false, false, false, List.of());
    }
  }

  /**
   * Triage one report.
   *
   * @param cached the cached region with the reported id, or null
   * @param overlaps cached regions whose key range overlaps the reported one (entries with the
   *     reported id are ignored); may be empty when the range is unchanged
   * @param reported the region as reported (after size inheritance, if any)
   */
  public static Decision triage(
      RegionInfo cached, List<RegionInfo> overlaps, RegionInfo reported) {
    String stale = staleReason(cached, overlaps, reported);
    if (stale != null) {
      return Decision.rejected(stale);
    }
    if (cached == null) {
      return new Decision(null, true, true, false, true, List.of());
    }
    boolean isNew = !cached.hasLeader() && reported.hasLeader();
    if (unchanged(cached, reported)) {
      // The common case, statistics only: no events to build, one of four shared decisions.
      return STATS_ONLY[(statisticsChanged(cached, reported) ? 1 : 0) + (isNew ? 2 : 0)];
    }
    List<String> events = new ArrayList<>(3);
    boolean structural = structuralChange(cached, reported, events);
    boolean saveKv = needsSaveKv(cached, reported);
    boolean saveCache = structural || saveKv || statisticsChanged(cached, reported);
    return new Decision(null, saveKv, saveCache, !structural, isNew, events);
  }

  /**
   * Range, epoch, peers and leader all equal: exactly when {@link #structuralChange} is false
   * (and then {@link #needsSaveKv} is false too). The cheap scalar comparisons go first.
   */
  private static boolean unchanged(RegionInfo cached, RegionInfo reported) {
    return reported.leaderId() == cached.leaderId()
        && reported.sameEpoch(cached)
        && reported.sameLeader(cached)
        && reported.samePeers(cached)
        && cached.sameRange(reported);
  }

  private static String staleReason(
      RegionInfo cached, List<RegionInfo> overlaps, RegionInfo reported) {
    if (recreatedByUnsafeRecovery(reported)) {
      return null;
    }
    long id = reported.id();
    for (RegionInfo o : overlaps) {
      if (o.id() != id && behind(reported.version(), o.version())) {
        return "region " + id + " is stale: reported version " + reported.version()
            + " < version " + o.version() + " of overlapping region " + o.id();
      }
    }
    if (cached == null) {
      return null;
    }
    if (behind(reported.version(), cached.version())) {
      return "region " + id + " is stale: reported version " + reported.version()
          + " < cached version " + cached.version();
    }
    if (behind(reported.confVer(), cached.confVer())) {
      return "region " + id + " is stale: reported conf_ver " + reported.confVer()
          + " < cached conf_ver " + cached.confVer();
    }
    if (reported.term() != 0 && behind(reported.term(), cached.term())) {
      return "region " + id + " is stale: reported term " + reported.term()
          + " < cached term " + cached.term();
    }
    return null;
  }

  /** {@code a < b} for the unsigned 64-bit epochs and terms of the protocol. */
  private static boolean behind(long a, long b) {
    return Long.compareUnsigned(a, b) < 0;
  }

  /** PD's {@code isRegionRecreated}: the bootstrap region (whole key space) does not count. */
  static boolean recreatedByUnsafeRecovery(RegionInfo r) {
    return r.version() == 1
        && r.confVer() == 1
        && !(r.startKeyBytes().length == 0 && r.endKeyBytes().length == 0);
  }

  /** Whether range, epoch, peers or leader changed; records PD's log events on the way. */
  private static boolean structuralChange(
      RegionInfo cached, RegionInfo reported, List<String> events) {
    long id = reported.id();
    boolean changed = !cached.sameRange(reported);
    if (behind(cached.version(), reported.version())) {
      events.add("region Version changed region-id=" + id
          + " old-version=" + cached.version() + " new-version=" + reported.version()
          + " detail=\"" + rangeDiff(cached, reported) + "\"");
      changed = true;
    }
    if (behind(cached.confVer(), reported.confVer())) {
      events.add("region ConfVer changed region-id=" + id
          + " old-confver=" + cached.confVer() + " new-confver=" + reported.confVer()
          + " detail=\"peers " + RegionInfo.peersString(cached.peers())
          + " -> " + RegionInfo.peersString(reported.peers()) + "\"");
      changed = true;
    }
    if (reported.leaderId() != cached.leaderId()) {
      if (cached.hasLeader()) {
        events.add("leader changed region-id=" + id
            + " from=" + cached.leaderStoreId() + " to=" + reported.leaderStoreId());
      }
      changed = true;
    }
    // Also the in-place changes that log nothing: a leader's role, peer roles, an epoch that
    // went back (accepted only for a region recreated by unsafe recovery).
    return changed
        || !reported.sameLeader(cached)
        || !reported.samePeers(cached)
        || !reported.sameEpoch(cached);
  }

  private static String rangeDiff(RegionInfo cached, RegionInfo reported) {
    return "key range [" + KeyOrder.hex(cached.startKey()) + ", " + KeyOrder.hex(cached.endKey())
        + ") -> [" + KeyOrder.hex(reported.startKey()) + ", " + KeyOrder.hex(reported.endKey())
        + ")";
  }

  private static boolean needsSaveKv(RegionInfo cached, RegionInfo reported) {
    return !reported.sameEpoch(cached)
        || reported.peerCount() != cached.peerCount()
        || !cached.sameRange(reported);
  }

  private static boolean statisticsChanged(RegionInfo cached, RegionInfo reported) {
    // Down or pending peers present now or before covers every change of either list.
    return hasDownOrPending(cached)
        || hasDownOrPending(reported)
        || cached.approximateSize() != reported.approximateSize()
        || cached.approximateKeys() != reported.approximateKeys()
        || roundFlow(cached.writtenBytes()) != roundFlow(reported.writtenBytes())
        || roundFlow(cached.readBytes()) != roundFlow(reported.readBytes());
  }

  private static boolean hasDownOrPending(RegionInfo r) {
    return !r.downPeers().isEmpty() || !r.pendingPeers().isEmpty();
  }

  /** PD's {@code GetRoundBytesWritten}: round half up to the divisor, unsigned. */
  static long roundFlow(long bytes) {
    long half = FLOW_ROUND_DIVISOR / 2;
    return Long.divideUnsigned(bytes + half, FLOW_ROUND_DIVISOR) * FLOW_ROUND_DIVISOR;
  }
}
