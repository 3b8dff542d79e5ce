package dev.jpd.core.placement;

import java.util.Arrays;
import java.util.HexFormat;

/** Checks one rule on its own (PD {@code adjustRule}); errors name the rule and the problem. */
final class RuleValidation {
  private RuleValidation() {}

  /** Throws {@link IllegalArgumentException} naming the problem when {@code r} is invalid. */
  static void check(Rule r) {
    String name = "rule " + r.groupId() + "/" + r.id();
    if (r.groupId() == null || r.groupId().isEmpty()) {
      throw new IllegalArgumentException("rule group_id must not be empty");
    }
    if (r.id() == null || r.id().isEmpty()) {
      throw new IllegalArgumentException("rule id must not be empty (group " + r.groupId() + ")");
    }
    byte[] start = decode(name, "start_key", r.startKeyHex());
    byte[] end = decode(name, "end_key", r.endKeyHex());
    if (end.length > 0 && Arrays.compareUnsigned(start, end) >= 0) {
      throw new IllegalArgumentException(
          name + ": start_key " + r.startKeyHex() + " must be before end_key " + r.endKeyHex());
    }
    if (r.peerRole() == null) {
      throw new IllegalArgumentException(
          name + ": unknown role '" + r.role() + "'; use voter, leader, follower or learner");
    }
    if (r.count() <= 0) {
      throw new IllegalArgumentException(name + ": count must be positive, got " + r.count());
    }
    if (r.peerRole() == PeerRole.LEADER && r.count() > 1) {
      throw new IllegalArgumentException(
          name + ": a leader rule may ask for one peer only, got count " + r.count());
    }
    for (LabelConstraint c : r.labelConstraints()) {
      if (!LabelConstraint.knownOp(c.op())) {
        throw new IllegalArgumentException(name + ": unknown label constraint op '" + c.op()
            + "'; use in, notIn, exists or notExists");
      }
    }
    if (!r.isolationLevel().isEmpty() && !r.locationLabels().contains(r.isolationLevel())) {
      throw new IllegalArgumentException(name + ": isolation_level '" + r.isolationLevel()
          + "' is not one of location_labels " + r.locationLabels());
    }
  }

  private static byte[] decode(String name, String field, String hex) {
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + field + " '" + hex + "' is not valid hex");
    }
  }
}
