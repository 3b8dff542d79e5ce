package dev.jpd.core.region;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The region cache's id map: {@code long} keys (region ids, never 0) to values, with the keys
 * inline in one {@code long[]} and the values in a parallel {@code Object[]} (open addressing,
 * linear probing). A look-up reads one key slot and one value slot: no entry node, no boxed key.
 * About 12 bytes per slot at a load of 0.35 to 0.7, against some 56 bytes per entry for a {@code
 * ConcurrentHashMap<Long, V>}.
 *
 * <h2>Concurrency design</h2>
 *
 * <p><b>Who may call what.</b> {@link #get}, {@link #replace} and {@link #size} never lock and may
 * run on any thread at any time. {@link #put} and {@link #remove} ("writes") must not run
 * concurrently with each other: the caller serializes them (the region cache does them under its
 * range write lock). So there is one writer at a time, and any number of readers and replacers.
 *
 * <p><b>A table never changes shape while it is the current one.</b> In a table, a key slot goes
 * from 0 (empty) to a key once and never changes again; deletion leaves the key in place with a
 * null value (a tombstone), so a probe sequence is never broken under a reader's feet and a value
 * slot only ever holds values of its own key. A new key's value is written before its key (release
 * order), so a reader that sees the key (acquire) sees the value. Tombstones and growth are dealt
 * with by copying into a new table: when used slots (live plus tombstones) pass {@value
 * #MAX_LOAD_PERCENT}% of the capacity, the writer builds a table sized for the live entries only.
 *
 * <p><b>Copy-on-resize with forwarding.</b> Replacers swap values with a compare-and-set on the
 * value slot, concurrently with the copy, so the copy must not lose a swap. The writer links the
 * new table from the old one ({@code next}, volatile), then for each old slot: writes the key and
 * the current value into the new table, then compare-and-sets the old value slot from that value
 * to {@link #MOVED}; if a replacer swapped the value in between, the CAS fails and the writer
 * copies the newer value and tries again. Once an old slot holds {@code MOVED} nobody writes it
 * again, and the new slot is written only by replacers (the writer is done with that key), so
 * no swap is lost. Anyone who reads {@code MOVED} (get or replace) follows {@code next}: the CAS
 * that wrote {@code MOVED} happened after the new slot was written, so the new slot is visible.
 * When every old slot is {@code MOVED}, the new table is published in the volatile {@code table}
 * field. Old tables point to newer ones, never the reverse, so they are garbage once no reader
 * holds them.
 *
 * <p><b>What readers may see.</b> Each operation is atomic on its key. A reader that fetched the
 * old table before a resize can miss a key put after the resize was published; the two calls
 * overlap in time, so that is still a linearizable answer.
 *
 * <p>Public for other modules' per-region tables (the checkers' fit cache and patrol lists).
 *
 * @param <V> the value type; values are compared by identity in {@link #replace}
 */
public final class ConcurrentLongMap<V> {
  static final int MAX_LOAD_PERCENT = 70;
  private static final int MIN_CAPACITY = 16;
  /** Value of an old table's slot whose entry lives in {@code next} now. */
  private static final Object MOVED = new Object();

  private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(Object[].class);

  private static final class Table {
    final long[] keys;
    final Object[] values;
    final int mask;
    final int shift;
    /** The table this one is being or was copied into; null while it is current. */
    volatile Table next;

    Table(int capacity) {
      keys = new long[capacity];
      values = new Object[capacity];
      mask = capacity - 1;
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Fibonacci hashing: the top bits of the product spread sequential ids over the table. */
    int home(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The slot holding {@code key}, or -1. */
    int find(long key) {
      for (int i = home(key); ; i = (i + 1) & mask) {
        long k = (long) KEYS.getAcquire(keys, i);
        if (k == key) {
          return i;
        }
        if (k == 0) {
          return -1;
        }
      }
    }
  }

  private volatile Table table = new Table(MIN_CAPACITY);
  /** Live entries; written by the writer only. */
  private volatile int size;
  /** Slots with a key (live entries and tombstones) in the current table; writer only. */
  private int used;
  /** Tables copied so far; writer only, for tests. */
  private int copies;

  /** The value for {@code key}, or null. Never locks. */
  @SuppressWarnings("unchecked")
  public V get(long key) {
    Table t = table;
    while (true) {
      int i = t.find(key);
      if (i < 0) {
        return null;
      }
      Object v = VALUES.getAcquire(t.values, i);
      if (v != MOVED) {
        return (V) v;
      }
      t = t.next;
    }
  }

  /**
   * Sets the value of {@code key} to {@code update} if it is {@code expect} (by identity). Never
   * locks; may run concurrently with anything.
   *
   * @return false when the key is absent or holds another value
   */
  public boolean replace(long key, V expect, V update) {
    if (expect == null || update == null) {
      throw new NullPointerException("replace needs non-null values, key " + key);
    }
    Table t = table;
    while (true) {
      int i = t.find(key);
      if (i < 0) {
        return false;
      }
      Object v = VALUES.getAcquire(t.values, i);
      if (v == MOVED) {
        t = t.next;
        continue;
      }
      if (v != expect) {
        return false;
      }
      if (VALUES.compareAndSet(t.values, i, expect, update)) {
        return true;
      }
      // The slot changed under us: to another value (then we lost) or to MOVED (then follow).
    }
  }

  /**
   * Maps {@code key} to {@code value}. Writers must be serialized by the caller.
   *
   * @return the previous value, or null
   */
  @SuppressWarnings("unchecked")
  public V put(long key, V value) {
    checkKey(key);
    if (value == null) {
      throw new NullPointerException("null value for key " + key + ": use remove");
    }
    Table t = table;
    int i = t.find(key);
    if (i >= 0) {
      Object old = VALUES.getAndSet(t.values, i, value);
      if (old == null) {
        size = size + 1;
      }
      return (V) old;
    }
    if ((used + 1) * 100L > (long) t.keys.length * MAX_LOAD_PERCENT) {
      t = resize(t);
    }
    insertNew(t, key, value);
    used++;
    size = size + 1;
    return null;
  }

  /**
   * Removes {@code key}, leaving a tombstone. Writers must be serialized by the caller.
   *
   * @return the removed value, or null
   */
  @SuppressWarnings("unchecked")
  public V remove(long key) {
    Table t = table;
    int i = t.find(key);
    if (i < 0) {
      return null;
    }
    Object old = VALUES.getAndSet(t.values, i, null);
    if (old != null) {
      size = size - 1;
    }
    return (V) old;
  }

  /** Live entries. Never locks. */
  public int size() {
    return size;
  }

  /** Table copies so far (growth and tombstone clean-ups), for tests; read by the writer. */
  int copies() {
    return copies;
  }

  /** Slots in the current table, for tests. */
  int capacity() {
    return table.keys.length;
  }

  private static void checkKey(long key) {
    if (key == 0) {
      throw new IllegalArgumentException(
          "key 0 is reserved for empty slots; region ids start at 1");
    }
  }

  /** Writes a key absent from {@code t}: the value first, so that whoever sees the key sees it. */
  private static int insertNew(Table t, long key, Object value) {
    int i = t.home(key);
    while (t.keys[i] != 0) {
      i = (i + 1) & t.mask;
    }
    VALUES.setRelease(t.values, i, value);
    KEYS.setRelease(t.keys, i, key);
    return i;
  }

  /** Copies the live entries into a table with room for twice as many, then publishes it. */
  private Table resize(Table old) {
    int capacity = MIN_CAPACITY;
    while (capacity < 2L * (size + 1)) {
      capacity <<= 1;
    }
    Table fresh = new Table(capacity);
    old.next = fresh;
    int copied = 0;
    for (int i = 0; i < old.keys.length; i++) {
      long key = old.keys[i];
      if (key == 0) {
        continue;
      }
      int slot = -1;
      while (true) {
        Object v = VALUES.getAcquire(old.values, i);
        if (v == null) {
          // A tombstone: only the writer (this thread) sets or clears null, so it stays null.
          VALUES.setRelease(old.values, i, MOVED);
          break;
        }
        if (slot < 0) {
          slot = insertNew(fresh, key, v);
        } else {
          VALUES.setRelease(fresh.values, slot, v);
        }
        if (VALUES.compareAndSet(old.values, i, v, MOVED)) {
          copied++;
          break;
        }
      }
    }
    used = copied;
    copies++;
    table = fresh;
    return fresh;
  }
}
