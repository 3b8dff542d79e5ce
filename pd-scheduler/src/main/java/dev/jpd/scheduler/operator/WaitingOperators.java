package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Priority;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The waiting queue (PD's {@code randBuckets} and {@code waitingOperatorStatus}): one FIFO bucket
 * per priority, picked at random with weights 1, 4, 9, 16 for low, medium, high and urgent, so
 * that higher priorities go first most of the time and low ones are never starved. An entry is
 * one operator or a merge pair, which always travel together and count as one against the
 * per-description waiting limit.
 *
 * <p>Not thread-safe: the controller guards it with its admission lock. The randomness is
 * injected; a generator whose {@code nextInt} answers 0 always picks the highest non-empty
 * priority.
 */
final class WaitingOperators {
  private final RandomGenerator random;
  private final Map<Priority, ArrayDeque<List<Operator>>> buckets = new EnumMap<>(Priority.class);
  private final Map<String, Integer> countByDesc = new HashMap<>();
  private int size;

  WaitingOperators(RandomGenerator random) {
    this.random = random;
    for (Priority p : Priority.values()) {
      buckets.put(p, new ArrayDeque<>());
    }
  }

  /** PD's bucket weight: (priority level + 1)². */
  static int weight(Priority p) {
    int level = p.ordinal() + 1;
    return level * level;
  }

  /** Queues one operator or a merge pair, under the first operator's priority. */
  void put(List<Operator> entry) {
    buckets.get(entry.get(0).priority()).addLast(List.copyOf(entry));
    countByDesc.merge(entry.get(0).desc(), 1, Integer::sum);
    size++;
  }

  /** How many entries of this description wait. */
  int count(String desc) {
    return countByDesc.getOrDefault(desc, 0);
  }

  int size() {
    return size;
  }

  /**
   * Takes the head of a bucket picked at random by weight among the buckets whose head is
   * admissible; null when none is. Heads that are not admissible stay where they are.
   */
  List<Operator> poll(Predicate<List<Operator>> admissible) {
    List<Priority> candidates = new ArrayList<>(4);
    int total = 0;
    Priority[] order = Priority.values();
    for (int i = order.length - 1; i >= 0; i--) {
      ArrayDeque<List<Operator>> b = buckets.get(order[i]);
      if (!b.isEmpty() && admissible.test(b.peekFirst())) {
        candidates.add(order[i]);
        total += weight(order[i]);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    int r = random.nextInt(total);
    for (Priority p : candidates) {
      r -= weight(p);
      if (r < 0) {
        return removeHead(p);
      }
    }
    return removeHead(candidates.get(candidates.size() - 1));
  }

  private List<Operator> removeHead(Priority p) {
    List<Operator> entry = buckets.get(p).pollFirst();
    forget(entry);
    return entry;
  }

  private void forget(List<Operator> entry) {
    countByDesc.computeIfPresent(entry.get(0).desc(), (k, v) -> v > 1 ? v - 1 : null);
    size--;
  }

  /** Removes and returns every entry that matches. */
  List<List<Operator>> removeIf(Predicate<List<Operator>> match) {
    List<List<Operator>> removed = new ArrayList<>();
    for (ArrayDeque<List<Operator>> b : buckets.values()) {
      for (Iterator<List<Operator>> it = b.iterator(); it.hasNext(); ) {
        List<Operator> entry = it.next();
        if (match.test(entry)) {
          it.remove();
          forget(entry);
          removed.add(entry);
        }
      }
    }
    return removed;
  }

  /** Every waiting operator, highest priority first. */
  List<Operator> list() {
    List<Operator> all = new ArrayList<>(size);
    Priority[] order = Priority.values();
    for (int i = order.length - 1; i >= 0; i--) {
      for (List<Operator> entry : buckets.get(order[i])) {
        all.addAll(entry);
      }
    }
    return all;
  }
}
