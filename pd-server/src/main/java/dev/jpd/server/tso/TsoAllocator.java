package dev.jpd.server.tso;

import static dev.jpd.server.tso.Timestamp.LOGICAL_BITS;
import static dev.jpd.server.tso.Timestamp.LOGICAL_MASK;
import static dev.jpd.server.tso.Timestamp.MAX_LOGICAL;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PD's timestamp oracle (the global TSO allocator of {@code pkg/tso/tso.go}).
 *
 * <h2>Design note</h2>
 *
 * <p><b>State.</b> The current timestamp lives in one {@link AtomicLong}, packed exactly as
 * clients see it: {@code physical << 18 | logical}. {@code 0} means "not synced" (never synced,
 * stopped, or fenced after losing the window to another member). The persisted window end
 * ({@code savedEnd}, milliseconds) and the raw bytes last read or written under {@code
 * /pd/{cid}/timestamp} are plain fields guarded by the allocator's monitor.
 *
 * <p><b>Invariants.</b>
 *
 * <ol>
 *   <li>Timestamps handed out strictly increase. {@link #generate} only moves the packed value
 *       forward by a compare-and-set of {@code +count} that never carries into the physical bits;
 *       the updater only replaces it with {@code next << 18} where {@code next} is greater than the
 *       current physical; a sync after a restart starts at least 1 ms above the persisted window
 *       end, which is above anything the previous run handed out.
 *   <li>The persisted window end is always ahead of any physical time handed out ({@code physical
 *       < savedEnd}). A new physical time is published only after a window covering it by more
 *       than 1 ms has been written; {@code savedEnd} only grows. A write is a compare-and-put
 *       against the value this allocator last saw (plus the leader guard), so two members never
 *       both extend the window: the loser is fenced (state reset to 0), and generate fails rather
 *       than hand out time nobody persisted.
 *   <li>The logical counter stays below {@code 1 << 18}; a batch that does not fit triggers an
 *       overflow update (physical moves up, never beyond the window) and is retried, at most
 *       {@value #MAX_RETRY} times.
 * </ol>
 *
 * <p><b>Capacity.</b> One millisecond of physical time holds 2^18 timestamps, so about 262
 * million per second can be served in step with the clock. Above that rate the overflow update
 * moves the physical time ahead of the clock 1 ms at a time (as PD does), at most up to the
 * persisted window; then generate waits for the periodic update to extend the window, and fails
 * after {@value #MAX_RETRY} waits.
 *
 * <p><b>Locking.</b> The hot path ({@link #generate}) takes no lock: a CAS loop on the packed
 * value. Everything that changes the physical part or touches the store (sync, the periodic
 * update, the overflow update, reset, start/stop) runs under the allocator's monitor, so window
 * writes are serialized and a physical time is published only after its window is durable. A
 * generator racing with the updater just retries its CAS against the new value.
 *
 * <p><b>Leadership is the caller's job.</b> PD's {@code getTS} checks the leader lease on every
 * call; this class does not know about leases. Whoever owns leadership calls {@link #start()} on
 * becoming leader and {@link #stop()} the moment the lease is lost. The optional leader guard
 * makes every window write conditional on the leader key, which fences a stale leader at its
 * next window extension at the latest.
 */
public final class TsoAllocator {
  /** Default {@code tso-save-interval}: how far ahead of the physical time the window reaches. */
  public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofSeconds(5);

  /** Default {@code tso-update-physical-interval}: period of the update loop. */
  public static final Duration DEFAULT_UPDATE_PHYSICAL_INTERVAL = Duration.ofMillis(50);

  /** PD's {@code UpdateTimestampGuard}: the smallest step of the physical time, 1 ms. */
  static final long GUARD_MS = 1;

  /** PD's {@code maxRetryCount} for a batch that overflows the logical counter. */
  static final int MAX_RETRY = 10;

  private static final long NOT_SYNCED = 0;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long JET_LAG_WARNING_MS = 150;
  /** Under sustained load the logical counter passes half at every tick: warn once per period. */
  private static final long WARNING_PERIOD_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(TsoAllocator.class);

  private final MetaStore store;
  private final String key;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final long saveIntervalMs;
  private final long updateIntervalMs;
  private final List<Condition> guard;
  private final Consumer<TsoEvent> events;

  /** {@code physical << 18 | logical} of the last timestamp handed out; 0 when not synced. */
  private final AtomicLong current = new AtomicLong(NOT_SYNCED);

  // Guarded by this.
  private long savedEnd;
  private byte[] savedRaw;
  private ScheduledFuture<?> loop;
  private long lastLogicalWarning = Long.MIN_VALUE / 2;

  /** An allocator with PD's defaults: save interval 5 s, update interval 50 ms, no leader guard. */
  public TsoAllocator(
      MetaStore store, PdKeys keys, Clock clock, ScheduledExecutorService executor) {
    this(
        store,
        keys,
        clock,
        executor,
        DEFAULT_SAVE_INTERVAL,
        DEFAULT_UPDATE_PHYSICAL_INTERVAL,
        List.of());
  }

  /**
   * @param store where the window end is persisted ({@link PdKeys#timestamp()})
   * @param clock the wall clock; only {@link Clock#millis()} is read
   * @param executor runs the update loop between {@link #start()} and {@link #stop()}; not owned,
   *     never shut down here
   * @param saveInterval {@code tso-save-interval}, more than 1 ms
   * @param updatePhysicalInterval {@code tso-update-physical-interval}, at least 1 ms
   * @param leaderGuard extra conditions of every window write, e.g. {@code
   *     Condition.valueEquals(keys.leader(), thisMember)}; empty for none
   */
  public TsoAllocator(
      MetaStore store,
      PdKeys keys,
      Clock clock,
      ScheduledExecutorService executor,
      Duration saveInterval,
      Duration updatePhysicalInterval,
      List<Condition> leaderGuard) {
    this(store, keys, clock, executor, saveInterval, updatePhysicalInterval, leaderGuard, e -> {});
  }

  /**
   * As above, and {@code events} hears what the allocator does ({@code pd_tso_events}); it is
   * called on the caller's thread, sometimes under this allocator's lock: keep it cheap.
   */
  public TsoAllocator(
      MetaStore store,
      PdKeys keys,
      Clock clock,
      ScheduledExecutorService executor,
      Duration saveInterval,
      Duration updatePhysicalInterval,
      List<Condition> leaderGuard,
      Consumer<TsoEvent> events) {
    this.events = Objects.requireNonNull(events, "events");
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(keys, "keys").timestamp();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.saveIntervalMs = saveInterval.toMillis();
    this.updateIntervalMs = updatePhysicalInterval.toMillis();
    if (saveIntervalMs <= GUARD_MS) {
      throw new IllegalArgumentException(
          "tso-save-interval must be more than 1ms, got " + saveInterval);
    }
    if (updateIntervalMs < 1) {
      throw new IllegalArgumentException(
          "tso-update-physical-interval must be at least 1ms, got " + updatePhysicalInterval);
    }
    this.guard = List.copyOf(leaderGuard);
  }

  /**
   * Makes this allocator serve: syncs with the persisted window (see {@link #sync()}) unless it is
   * already serving, and starts the update loop unless it runs. Call it on becoming leader; after
   * a fence (the window was taken by someone else) it syncs again.
   *
   * @throws IllegalStateException if the window could not be written (another member moved it,
   *     or the leader guard failed); the loop is not started
   * @throws dev.jpd.core.storage.MetaStoreException if the store failed; the loop is not started
   */
  public synchronized void start() {
    if (!isSynced()) {
      sync();
    }
    if (loop == null) {
      loop =
          executor.scheduleWithFixedDelay(
              this::tick, updateIntervalMs, updateIntervalMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops the update loop and resets the timestamp, so {@link #generate} fails until the next
   * {@link #start()}. Idempotent. When it returns no update is running, and a tick that was
   * already queued finds the allocator reset and does nothing.
   */
  public synchronized void stop() {
    if (loop != null) {
      loop.cancel(false);
      loop = null;
    }
    reset();
  }

  /**
   * Hands out a batch of {@code count} timestamps and returns the <em>last</em> one: the batch is
   * logical {@code [logical - count + 1, logical]} at that physical time.
   *
   * @throws IllegalArgumentException if {@code count} is not in {@code [1, 2^18)}
   * @throws IllegalStateException if the allocator is not synced (not started, stopped, or fenced
   *     after losing its window), or the logical counter still overflowed after {@value
   *     #MAX_RETRY} updates
   */
  public Timestamp generate(int count) {
    if (count < 1 || count >= MAX_LOGICAL) {
      throw new IllegalArgumentException(
          "tso count must be in [1, " + (MAX_LOGICAL - 1) + "], got " + count);
    }
    long tso = tryGenerate(count);
    if (tso != NOT_SYNCED) {
      return Timestamp.fromTso(tso);
    }
    return generateAfterOverflow(count);
  }

  /** The packed last timestamp of a new batch, or 0 if the batch does not fit the logical part. */
  private long tryGenerate(int count) {
    while (true) {
      long cur = current.get();
      if (cur == NOT_SYNCED) {
        throw notSynced();
      }
      if ((cur & LOGICAL_MASK) + count >= MAX_LOGICAL) {
        return NOT_SYNCED;
      }
      long next = cur + count;
      if (current.compareAndSet(cur, next)) {
        return next;
      }
    }
  }

  private Timestamp generateAfterOverflow(int count) {
    events.accept(TsoEvent.LOGICAL_OVERFLOW);
    for (int attempt = 0; attempt < MAX_RETRY; attempt++) {
      // Under load an overflow is routine (the physical part only moves on ticks): it costs one
      // locked update. Only having to wait for the window is worth a warning.
      if (!makeRoom(count)) {
        LOG.warn(
            "logical part outside of max logical interval, please check ntp time, or adjust"
                + " config item `tso-update-physical-interval` count={} retry-count={}",
            count,
            attempt);
        sleepUpdateInterval();
      }
      long tso = tryGenerate(count);
      if (tso != NOT_SYNCED) {
        return Timestamp.fromTso(tso);
      }
    }
    events.accept(TsoEvent.EXCEEDED_MAX_RETRY);
    throw new IllegalStateException(
        "tso logical counter overflowed "
            + MAX_RETRY
            + " times in a row for count="
            + count
            + ": the physical time cannot advance (window not yet extended, or clock stuck);"
            + " check the NTP time and `tso-update-physical-interval`");
  }

  /**
   * PD's overflow update: advances the physical time so that a batch of {@code count} fits, but
   * never writes the window (the periodic update does, which bounds the store load), so it stays
   * more than 1 ms below the window end. Returns whether the batch fits now; false means wait for
   * the next periodic update.
   */
  private synchronized boolean makeRoom(int count) {
    long cur = current.get();
    if (cur == NOT_SYNCED) {
      throw notSynced();
    }
    if ((cur & LOGICAL_MASK) + count < MAX_LOGICAL) {
      return true;
    }
    long physical = cur >>> LOGICAL_BITS;
    long now = clock.millis();
    // Follow the clock if the window allows; otherwise creep 1 ms if that still fits (PD would
    // give up here and wait for the periodic update).
    long next = now - physical > GUARD_MS && savedEnd - now > GUARD_MS ? now : physical + GUARD_MS;
    if (savedEnd - next <= GUARD_MS) {
      return false;
    }
    publish(next);
    return true;
  }

  /**
   * PD's {@code SyncTimestamp}: loads the persisted window end, starts 1 ms above it if the clock
   * is not already past it, persists a new window and publishes the new physical time with
   * logical 0.
   */
  synchronized void sync() {
    events.accept(TsoEvent.SYNC);
    byte[] raw = store.get(key).orElse(null);
    long last = raw == null ? 0 : Math.floorDiv(Bytes8.decode(key, raw), NANOS_PER_MILLI);
    long next = clock.millis();
    if (next - last < GUARD_MS) {
      LOG.warn(
          "system time may be incorrect last={} next={}: starting above the saved timestamp window",
          last,
          next);
      next = last + GUARD_MS;
    }
    // A re-sync on a running allocator never moves backwards.
    long cur = current.get();
    if (cur != NOT_SYNCED) {
      next = Math.max(next, (cur >>> LOGICAL_BITS) + GUARD_MS);
    }
    savedRaw = raw;
    try {
      save(next + saveIntervalMs);
    } catch (RuntimeException e) {
      events.accept(TsoEvent.ERR_SAVE_SYNC_TS);
      throw e;
    }
    publish(next);
    events.accept(TsoEvent.SYNC_OK);
    LOG.info("sync and save timestamp last={} save={} next={}", last, savedEnd, next);
  }

  /**
   * PD's periodic {@code UpdateTimestamp}: follows the clock when it is more than 1 ms ahead,
   * else advances by 1 ms when more than half of the logical range is used, else does nothing.
   * Extends the persisted window first when the new physical time would come within 1 ms of it.
   *
   * @throws IllegalStateException if the window write was refused (the allocator is now reset)
   */
  synchronized void updateTimestamp() {
    long cur = current.get();
    if (cur == NOT_SYNCED) {
      return;
    }
    events.accept(TsoEvent.SAVE);
    long physical = cur >>> LOGICAL_BITS;
    long logical = cur & LOGICAL_MASK;
    long now = clock.millis();
    long jetLag = now - physical;
    if (jetLag < 0) {
      events.accept(TsoEvent.SYSTEM_TIME_SLOW);
    }
    if (jetLag > 3 * updateIntervalMs && jetLag > JET_LAG_WARNING_MS) {
      LOG.warn(
          "clock offset jet-lag={}ms prev-physical={} now={} update-physical-interval={}ms",
          jetLag,
          physical,
          now,
          updateIntervalMs);
    }
    long next;
    if (jetLag > GUARD_MS) {
      next = now;
    } else if (logical > MAX_LOGICAL / 2) {
      if (now - lastLogicalWarning >= WARNING_PERIOD_MS || now < lastLogicalWarning) {
        lastLogicalWarning = now;
        LOG.warn("the logical time may be not enough prev-logical={}", logical);
      }
      next = physical + GUARD_MS;
    } else {
      events.accept(TsoEvent.SKIP_SAVE);
      return;
    }
    if (savedEnd - next <= GUARD_MS) {
      try {
        save(next + saveIntervalMs);
      } catch (RuntimeException e) {
        events.accept(TsoEvent.ERR_SAVE_UPDATE_TS);
        throw e;
      }
    }
    publish(next);
  }

  /** Clears the timestamp: {@link #generate} fails until the next sync. */
  synchronized void reset() {
    current.set(NOT_SYNCED);
    savedEnd = 0;
    savedRaw = null;
  }

  /** Whether timestamps can be handed out. */
  boolean isSynced() {
    return current.get() != NOT_SYNCED;
  }

  /** The persisted window end in milliseconds, as this allocator last wrote it (0 if reset). */
  synchronized long savedEnd() {
    return savedEnd;
  }

  /** The last timestamp handed out (logical 0 right after a physical update), or null. */
  Timestamp peek() {
    long cur = current.get();
    return cur == NOT_SYNCED ? null : Timestamp.fromTso(cur);
  }

  private void tick() {
    try {
      updateTimestamp();
    } catch (RuntimeException e) {
      LOG.warn("failed to update timestamp key={} error={}", key, e.toString());
    }
  }

  /** Raises the persisted window end to {@code end} ms; on refusal, fences this allocator. */
  private void save(long end) {
    byte[] value = Bytes8.encode(Math.multiplyExact(end, NANOS_PER_MILLI));
    List<Condition> conditions = new ArrayList<>(guard);
    conditions.add(Condition.absentOrEquals(key, savedRaw));
    if (!store.txn(conditions, List.of(Operation.put(key, value)))) {
      reset();
      LOG.error("save timestamp failed: window changed by someone else key={}", key);
      throw new IllegalStateException(
          "tso window not persisted: "
              + key
              + " changed since this member last read or wrote it, or this member is no longer"
              + " the leader; another member may be allocating timestamps. This allocator stopped"
              + " handing out timestamps until it is started (synced) again");
    }
    savedRaw = value;
    savedEnd = end;
  }

  /** Moves the physical time up to {@code next} with logical 0; never moves it back. */
  private void publish(long next) {
    long packed = next << LOGICAL_BITS;
    while (true) {
      long cur = current.get();
      if (cur != NOT_SYNCED && cur >>> LOGICAL_BITS >= next) {
        return;
      }
      if (current.compareAndSet(cur, packed)) {
        return;
      }
    }
  }

  private void sleepUpdateInterval() {
    try {
      Thread.sleep(updateIntervalMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the tso to advance", e);
    }
  }

  private IllegalStateException notSynced() {
    return new IllegalStateException(
        "tso not synced: this member is not serving timestamps (not leader, not started yet,"
            + " or it lost the timestamp window); retry on the leader");
  }
}
