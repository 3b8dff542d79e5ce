package dev.jpd.core.placement;

import java.util.Objects;

/**
 * A group of rules (PD {@code RuleGroup}): groups are applied in ascending {@code index}; a group
 * with {@code override} hides the rules of groups with a lower index on the same range.
 */
public record RuleGroup(String id, int index, boolean override) {
  public RuleGroup {
    Objects.requireNonNull(id, "id");
  }
}
