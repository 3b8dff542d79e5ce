package dev.jpd.server.id;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.Operation;
import dev.jpd.core.storage.PdKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PD's ID allocator (label {@code idalloc}): hands out unique ids for stores, regions and peers.
 *
 * <p>Ids come from an in-memory window {@code (base, end]}. {@code end} is persisted under {@code
 * /pd/{cid}/alloc_id} (8-byte big-endian) <em>before</em> any id of the window is handed out, so an
 * id is never handed out twice, even across kill -9: a restarted allocator starts above the
 * persisted end and skips whatever was left of the old window (at most one step per restart or
 * leader change, as in PD).
 *
 * <p>Every write of {@code alloc_id} is a compare-and-put against the value this allocator last
 * read or wrote (and the optional leader guard). If someone else moved the key, another member is
 * allocating: the write fails with {@link IllegalStateException}, nothing is handed out, and every
 * later extension fails the same way until {@link #rebase()} re-reads the key (which a member does
 * when it becomes the leader).
 *
 * <p>Thread-safe: every method synchronizes on the allocator. Allocation is not a hot path (TiKV
 * asks for ids on splits and bootstrap), and the lock keeps a batch contiguous.
 */
public final class IdAllocator {
  /** PD's {@code DefaultAllocStep}. */
  public static final long DEFAULT_STEP = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(IdAllocator.class);

  private final MetaStore store;
  private final String key;
  private final long step;
  private final List<Condition> guard;

  /** Last id handed out. */
  private long base;
  /** End of the window, inclusive; persisted before use. Volatile for {@link #windowEnd()}. */
  private volatile long end;
  /** The value of {@code alloc_id} as this allocator last read or wrote it (null: absent). */
  private byte[] endRaw;

  private boolean loaded;

  /**
   * The end of the persisted ID window, 0 before the first allocation: what PD exports as
   * {@code pd_cluster_id{type="idalloc"}}. Lock-free, for metric scrapes.
   */
  public long windowEnd() {
    return end;
  }

  /** An allocator with PD's step of 1000 and no leader guard. */
  public IdAllocator(MetaStore store, PdKeys keys) {
    this(store, keys, DEFAULT_STEP, List.of());
  }

  /** An allocator that persists its window {@code step} ids at a time, with no leader guard. */
  public IdAllocator(MetaStore store, PdKeys keys, long step) {
    this(store, keys, step, List.of());
  }

  /**
   * An allocator whose window writes also require {@code leaderGuard} to hold (PD checks that the
   * leader key still holds this member, e.g. {@code Condition.valueEquals(keys.leader(), me)}).
   *
   * @param step how many ids each persisted window extension covers; must be positive
   */
  public IdAllocator(MetaStore store, PdKeys keys, long step, List<Condition> leaderGuard) {
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(keys, "keys").allocId();
    if (step <= 0) {
      throw new IllegalArgumentException("id alloc step must be positive, got " + step);
    }
    this.step = step;
    this.guard = List.copyOf(leaderGuard);
  }

  /**
   * Allocates a contiguous batch of {@code count} ids and returns the <em>last</em> one: the batch
   * is {@code [id - count + 1, id]}. A count of 0 is treated as 1, as PD does.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   * @throws IllegalStateException if the window could not be persisted because another member
   *     moved {@code alloc_id} or the leader guard failed; nothing was handed out
   * @throws dev.jpd.core.storage.MetaStoreException if the store failed; nothing was handed out
   */
  public synchronized long alloc(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("id count must not be negative, got " + count);
    }
    long n = Math.max(1, count);
    if (!loaded) {
      rebase();
    }
    long last = Math.addExact(base, n);
    if (last > end) {
      extendTo(last);
    }
    base = last;
    return last;
  }

  /**
   * Re-reads the persisted window end and opens a fresh window above it, persisting the new end.
   * The ids left in the current window are skipped. PD does this when a member becomes leader.
   *
   * @throws IllegalStateException if the key changed between the read and the write
   */
  public synchronized void rebase() {
    byte[] raw = store.get(key).orElse(null);
    long persisted = raw == null ? 0 : Bytes8.decode(key, raw);
    long newEnd = Math.addExact(persisted, step);
    write(raw, newEnd);
    base = persisted;
    loaded = true;
    LOG.info("idAllocator allocates a new id new-end={} new-base={} label=idalloc", newEnd, base);
  }

  /** The last id handed out (0 before the first allocation). */
  synchronized long base() {
    return base;
  }

  /** The persisted end of the current window (0 before the first allocation). */
  synchronized long end() {
    return end;
  }

  /** Moves the window end up by whole steps until {@code last} fits; the batch stays contiguous. */
  private void extendTo(long last) {
    long steps = Math.floorDiv(last - end + step - 1, step);
    long newEnd = Math.addExact(end, Math.multiplyExact(steps, step));
    write(endRaw, newEnd);
    LOG.info("idAllocator allocates a new id new-end={} new-base={} label=idalloc", newEnd, base);
  }

  private void write(byte[] expected, long newEnd) {
    byte[] value = Bytes8.encode(newEnd);
    List<Condition> conditions = new ArrayList<>(guard);
    conditions.add(Condition.absentOrEquals(key, expected));
    if (!store.txn(conditions, List.of(Operation.put(key, value)))) {
      throw new IllegalStateException(
          "id window not persisted: "
              + key
              + " is no longer "
              + (expected == null ? "absent" : Long.toString(Bytes8.decode(key, expected)))
              + " or this member is no longer the leader; another member may be allocating ids."
              + " No id was handed out; rebase() after winning leadership again");
    }
    endRaw = value;
    end = newEnd;
  }
}
