package dev.jpd.core.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One label condition of a placement rule (PD {@code pkg/schedule/placement/label_constraint.go}).
 *
 * @param key the store label key
 * @param op one of {@code in}, {@code notIn}, {@code exists}, {@code notExists}
 * @param values the values {@code in}/{@code notIn} compare against
 */
public record LabelConstraint(String key, String op, List<String> values) {
  /** PD's label naming the storage engine of a store. */
  public static final String ENGINE_KEY = "engine";

  /** Engines whose stores only match rules that name the engine explicitly (PD: legacy TiFlash). */
  private static final List<String> EXCLUSIVE_ENGINES = List.of("tiflash");

  public LabelConstraint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    values = values == null ? List.of() : List.copyOf(values);
  }

  /** Whether {@code op} is one PD knows. */
  static boolean knownOp(String op) {
    return switch (op) {
      case "in", "notIn", "exists", "notExists" -> true;
      default -> false;
    };
  }

  /** Whether a store with these labels satisfies this single constraint. */
  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    return switch (op) {
      case "in" -> v != null && values.contains(v);
      case "notIn" -> v == null || !values.contains(v);
      case "exists" -> v != null;
      case "notExists" -> v == null;
      default -> false;
    };
  }

  /**
   * Whether a store with these labels satisfies every constraint. As in PD, a store whose
   * {@code engine} label is {@code tiflash} matches only when some constraint names the
   * {@code engine} key, so default TiKV rules never place replicas on TiFlash.
   */
  public static boolean matchesAll(Map<String, String> labels, List<LabelConstraint> constraints) {
    if (constraints.isEmpty()) {
      return !exclusiveEngine(labels.get(ENGINE_KEY));
    }
    for (LabelConstraint c : constraints) {
      if (!c.matches(labels)) {
        return false;
      }
    }
    if (exclusiveEngine(labels.get(ENGINE_KEY))) {
      return constraints.stream().anyMatch(c -> c.key.equals(ENGINE_KEY));
    }
    return true;
  }

  /**
   * Whether a store with this {@code engine} label value (null: none) matches only rules that
   * name the engine: the default rule, with no constraint, never takes such a store.
   */
  public static boolean exclusiveEngine(String engine) {
    return engine != null && EXCLUSIVE_ENGINES.contains(engine);
  }
}
