package dev.jpd.core.placement;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One placement rule (PD {@code pkg/schedule/placement/rule.go}), immutable. Keys are kept in
 * PD's hex spelling; an empty end key means "to the end of the key space".
 */
public record Rule(
    String groupId,
    String id,
    int index,
    boolean override,
    String startKeyHex,
    String endKeyHex,
    String role,
    boolean isWitness,
    int count,
    List<LabelConstraint> labelConstraints,
    List<String> locationLabels,
    String isolationLevel,
    long version,
    long createTimestamp) {

  public Rule {
    startKeyHex = startKeyHex == null ? "" : startKeyHex;
    endKeyHex = endKeyHex == null ? "" : endKeyHex;
    labelConstraints = labelConstraints == null ? List.of() : List.copyOf(labelConstraints);
    locationLabels = locationLabels == null ? List.of() : List.copyOf(locationLabels);
    isolationLevel = isolationLevel == null ? "" : isolationLevel;
  }

  /** A plain rule with no labels, for defaults and tests. */
  public static Rule of(String group, String id, String role, int count, String start, String end) {
    return new Rule(group, id, 0, false, start, end, role, false, count, null, null, "", 0, 0);
  }

  /** The (group, id) pair that names this rule. */
  public String key() {
    return groupId + "/" + id;
  }

  /** The decoded start key; fails when the hex is bad (checked by {@link RuleValidation}). */
  public byte[] startKey() {
    return HexFormat.of().parseHex(startKeyHex);
  }

  /** The decoded end key; empty means unbounded. */
  public byte[] endKey() {
    return HexFormat.of().parseHex(endKeyHex);
  }

  /** The parsed role, or null when unknown. */
  public PeerRole peerRole() {
    return PeerRole.parse(role);
  }

  /** A copy with another version / create timestamp (set by the manager on write). */
  Rule withVersion(long newVersion, long createTs) {
    return new Rule(groupId, id, index, override, startKeyHex, endKeyHex, role, isWitness, count,
        labelConstraints, locationLabels, isolationLevel, newVersion, createTs);
  }

  /** A copy with a new count / location labels / isolation level (default-rule updates). */
  Rule withReplication(int newCount, List<String> labels, String isolation) {
    return new Rule(groupId, id, index, override, startKeyHex, endKeyHex, role, isWitness, newCount,
        labelConstraints, labels, isolation, version, createTimestamp);
  }

  boolean sameExceptVersion(Rule o) {
    return Objects.equals(this.withVersion(0, 0), o.withVersion(0, 0));
  }
}
