package dev.jpd.core.placement;

import java.util.Objects;

/**
 * One step of an atomic batch (PD {@code RuleOp}): add/replace {@code rule}, or delete it — with
 * {@code deleteByIdPrefix}, delete every rule of its group whose id starts with the rule's id.
 */
public record RuleOp(Action action, Rule rule, boolean deleteByIdPrefix) {
  /** PD's {@code add} / {@code del}. */
  public enum Action {
    ADD,
    DEL
  }

  public RuleOp {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(rule, "rule");
  }

  public static RuleOp add(Rule r) {
    return new RuleOp(Action.ADD, r, false);
  }

  public static RuleOp delete(String group, String id) {
    return new RuleOp(Action.DEL, Rule.of(group, id, "voter", 1, "", ""), false);
  }

  public static RuleOp deleteByPrefix(String group, String idPrefix) {
    return new RuleOp(Action.DEL, Rule.of(group, idPrefix, "voter", 1, "", ""), true);
  }
}
