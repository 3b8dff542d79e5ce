package dev.jpd.server.config;

/**
 * A configuration that cannot be used: an unknown key or flag, a value of the wrong type or out
 * of range, contradicting settings. The message names the key (with its section, e.g.
 * {@code schedule.max-store-down-time}) or the flag, the offending value and where it came from,
 * so that it can be printed to the operator as it is.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}. */
  public ConfigException(String message) {
    super(message);
  }

  /** A problem described by {@code message}, caused by {@code cause}. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
