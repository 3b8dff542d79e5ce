package dev.jpd.server.storage;

import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.Operation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Wording shared by the meta stores' error messages. */
final class Txns {
  private Txns() {}

  /** The keys a transaction touches, each once, in order: for error messages. */
  static String keysOf(List<Condition> conditions, List<Operation> operations) {
    Set<String> keys = new LinkedHashSet<>();
    conditions.forEach(c -> keys.add(c.key()));
    operations.forEach(o -> keys.add(o.key()));
    return keys.toString();
  }
}
