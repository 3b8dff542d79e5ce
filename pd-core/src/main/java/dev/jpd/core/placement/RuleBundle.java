package dev.jpd.core.placement;

import java.util.List;

/** A rule group with its rules (PD {@code GroupBundle}), the unit of {@code /placement-rule}. */
public record RuleBundle(RuleGroup group, List<Rule> rules) {
  public RuleBundle {
    rules = List.copyOf(rules);
  }
}
