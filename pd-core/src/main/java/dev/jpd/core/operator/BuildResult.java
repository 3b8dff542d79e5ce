package dev.jpd.core.operator;

import java.util.List;
import java.util.Objects;

/**
 * What building an operator gave: the value, or every error found on the way (never both, never
 * a half-built operator). Errors say what was wrong, with the store or peer named.
 */
public record BuildResult<T>(T value, List<String> errors) {
  public BuildResult {
    errors = List.copyOf(errors);
    if ((value == null) == errors.isEmpty()) {
      throw new IllegalArgumentException("a build result has a value or errors, not both");
    }
  }

  public static <T> BuildResult<T> ok(T value) {
    return new BuildResult<>(Objects.requireNonNull(value), List.of());
  }

  public static <T> BuildResult<T> failed(List<String> errors) {
    return new BuildResult<>(null, errors);
  }

  public static <T> BuildResult<T> failed(String error) {
    return new BuildResult<>(null, List.of(error));
  }

  public boolean ok() {
    return value != null;
  }

  /** The value; throws IllegalStateException naming the errors when there is none. */
  public T orElseThrow() {
    if (value == null) {
      throw new IllegalStateException("cannot create operator: " + String.join("; ", errors));
    }
    return value;
  }
}
