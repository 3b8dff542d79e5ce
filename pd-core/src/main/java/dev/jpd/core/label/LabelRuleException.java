package dev.jpd.core.label;

/**
 * A label rule that cannot be accepted: empty id, no labels, an empty label key or value, a bad
 * TTL or start time, an unsupported rule type, bad hex or an empty key range. The message names
 * the problem and the value; the HTTP API answers it as 400.
 */
public final class LabelRuleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public LabelRuleException(String message) {
    super(message);
  }
}
