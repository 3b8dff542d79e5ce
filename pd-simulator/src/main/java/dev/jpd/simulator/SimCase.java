package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import java.util.List;

/**
 * One scenario: the cluster it starts from, what happens on each tick, the success check and
 * the time bound (simulated). A case whose PD feature has not landed is {@code pending} with the
 * reason; the CLI still runs it on request, and the tests skip it with that reason.
 *
 * @param pending null when the case can pass today, else why not (e.g. "needs the checkers issue")
 * @param pdConfig PD config the case needs, as the JSON body of {@code POST /pd/api/v1/config}
 *     (e.g. a short {@code max-store-down-time}), set through the PD's HTTP API before the
 *     cluster is laid out; null for none
 */
record SimCase(
    String name,
    String summary,
    String pending,
    SimConfig config,
    Layout layout,
    Events events,
    Check check,
    long boundMillis,
    String pdConfig) {

  /** A case that needs no PD config. */
  SimCase(String name, String summary, String pending, SimConfig config, Layout layout,
      Events events, Check check, long boundMillis) {
    this(name, summary, pending, config, layout, events, check, boundMillis, null);
  }

  /**
   * The starting cluster: {@code stores} stores (ids allocated by the PD, labels by index),
   * {@code regions} regions evenly over the key space, each with peers on the store indexes
   * {@code placement} returns (first = leader).
   */
  record Layout(int stores, int regions, long regionSize, long regionKeys,
      Placement placement, Labels labels) {}

  interface Placement {
    List<Integer> storeIndexes(int regionIndex, int storeCount);
  }

  interface Labels {
    List<Metapb.StoreLabel> of(int storeIndex);
  }

  interface Events {
    void tick(Driver d, long tick);
  }

  /** The success check; {@code detail} says what is still missing (printed on failure). */
  interface Check {
    Verdict check(Driver d);
  }

  record Verdict(boolean ok, String detail) {
    static Verdict ok(String detail) {
      return new Verdict(true, detail);
    }

    static Verdict notYet(String detail) {
      return new Verdict(false, detail);
    }
  }

  boolean ready() {
    return pending == null;
  }

  String status() {
    return ready() ? "ready" : "pending: " + pending;
  }

  static Placement roundRobin(int replicas) {
    return (i, n) -> {
      List<Integer> out = new java.util.ArrayList<>();
      for (int j = 0; j < Math.min(replicas, n); j++) {
        out.add((i + j) % n);
      }
      return out;
    };
  }

  static Labels noLabels() {
    return i -> List.of();
  }
}
