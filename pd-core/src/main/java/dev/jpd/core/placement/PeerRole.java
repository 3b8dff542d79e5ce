package dev.jpd.core.placement;

/** The role a rule asks its peers to have (PD {@code PeerRoleType}). */
public enum PeerRole {
  VOTER("voter"),
  LEADER("leader"),
  FOLLOWER("follower"),
  LEARNER("learner");

  private final String pdName;

  PeerRole(String pdName) {
    this.pdName = pdName;
  }

  /** PD's JSON spelling. */
  public String pdName() {
    return pdName;
  }

  /** The role spelled {@code name} in PD's JSON, or null when unknown. */
  public static PeerRole parse(String name) {
    for (PeerRole r : values()) {
      if (r.pdName.equals(name)) {
        return r;
      }
    }
    return null;
  }
}
