package dev.jpd.core.operator;

/**
 * An operator's priority (PD's {@code constant.PriorityLevel}). A new operator replaces a
 * running one on the same region only when its priority is strictly higher; urgent operators
 * bypass store limits. Admin operators are always urgent.
 */
public enum Priority {
  LOW,
  MEDIUM,
  HIGH,
  URGENT;

  /** PD's lower-case name. */
  public String pdName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
