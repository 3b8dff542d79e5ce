package dev.jpd.core.region;

import java.util.Arrays;
import java.util.Random;

/**
 * A set of region ids in one open-addressing {@code long[]} (linear probing, backward-shift
 * deletion): about 11 to 21 bytes per id, against some 50 for a {@code HashSet<Long>}. Id 0 marks
 * an empty slot and is kept aside in a flag. Not thread-safe: the per-store index guards it; the
 * size is volatile so that counts can be read without that lock. Public for other modules' id
 * sets (the patrol lists).
 */
public final class LongHashSet {
  private static final int MIN_CAPACITY = 8;

  private long[] table = new long[MIN_CAPACITY];
  private boolean hasZero;
  private volatile int size;

  public int size() {
    return size;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  public boolean contains(long v) {
    if (v == 0) {
      return hasZero;
    }
    int mask = table.length - 1;
    for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
      long t = table[i];
      if (t == v) {
        return true;
      }
      if (t == 0) {
        return false;
      }
    }
  }

  /** Adds {@code v}; false when it was there already. */
  public boolean add(long v) {
    if (v == 0) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size = size + 1;
      return true;
    }
    if ((size + 1) * 4L > table.length * 3L) {
      resize(table.length * 2);
    }
    if (!insert(table, v)) {
      return false;
    }
    size = size + 1;
    return true;
  }

  private static boolean insert(long[] t, long v) {
    int mask = t.length - 1;
    int i = mix(v) & mask;
    while (t[i] != 0) {
      if (t[i] == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
    t[i] = v;
    return true;
  }

  /** Removes {@code v}; false when it was not there. */
  public boolean remove(long v) {
    if (v == 0) {
      if (!hasZero) {
        return false;
      }
      hasZero = false;
      size = size - 1;
      return true;
    }
    int mask = table.length - 1;
    int i = mix(v) & mask;
    while (table[i] != v) {
      if (table[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move later members of the probe run into the hole, so that no
    // tombstones are needed and look-ups stay short.
    int hole = i;
    for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = mix(table[j]) & mask;
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = 0;
    size = size - 1;
    if (table.length > MIN_CAPACITY && size * 8L < table.length) {
      resize(table.length / 2);
    }
    return true;
  }

  private void resize(int capacity) {
    long[] t = new long[capacity];
    for (long v : table) {
      if (v != 0) {
        insert(t, v);
      }
    }
    table = t;
  }

  /** Every member, in no particular order. */
  public long[] toArray() {
    long[] out = new long[size];
    int n = 0;
    if (hasZero) {
      out[n++] = 0;
    }
    for (long v : table) {
      if (v != 0) {
        out[n++] = v;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * A member picked at random: the first occupied slot from a random position. Ids after long
   * probe runs are picked a little less often; schedulers only need a spread. 0 when empty (or
   * when the set holds only id 0).
   */
  long random(Random rnd) {
    if (size == 0) {
      return 0;
    }
    int mask = table.length - 1;
    int start = rnd.nextInt(table.length);
    for (int k = 0; k < table.length; k++) {
      long v = table[(start + k) & mask];
      if (v != 0) {
        return v;
      }
    }
    return 0;
  }
}
