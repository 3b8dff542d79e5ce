package dev.jpd.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} / {@code --name=value} flags, checked against the names a command knows. */
final class Flags {
  /** Bad command-line input: the CLI prints it with the usage and exits 2. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  private final Map<String, String> values = new HashMap<>();

  private Flags() {}

  static Flags parse(List<String> args, Set<String> known, Set<String> switches) {
    Flags f = new Flags();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new UsageError("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name)) {
        f.values.put(name, value == null ? "true" : value);
        continue;
      }
      if (!known.contains(name)) {
        throw new UsageError("unknown flag --" + name);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageError("flag --" + name + " needs a value");
        }
        value = args.get(++i);
      }
      f.values.put(name, value);
    }
    return f;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  long getLong(String name, long dflt, long min) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageError("flag --" + name + ": '" + v + "' is not a whole number");
    }
    if (n < min) {
      throw new UsageError("flag --" + name + ": " + n + " is below the minimum " + min);
    }
    return n;
  }

  double getRatio(String name, double dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageError("flag --" + name + ": '" + v + "' is not a number");
    }
    if (!(d >= 0 && d <= 1)) {
      throw new UsageError("flag --" + name + ": " + v + " is not a ratio in [0, 1]");
    }
    return d;
  }
}
