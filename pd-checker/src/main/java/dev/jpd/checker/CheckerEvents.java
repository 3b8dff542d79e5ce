package dev.jpd.checker;

/**
 * Where checker events are counted: PD's {@code pd_checker_event_count{type, name}} with {@code
 * type} the checker ("replica_checker") and {@code name} the event ("check", "paused",
 * "new-operator", "no-target-store", ...). The patrol loop wires a Micrometer counter.
 */
@FunctionalInterface
public interface CheckerEvents {

  void inc(String type, String name);

  /** Counts nothing. */
  static CheckerEvents none() {
    return (type, name) -> { };
  }
}
