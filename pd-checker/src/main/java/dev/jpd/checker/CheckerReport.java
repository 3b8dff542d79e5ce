package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import java.util.List;

/**
 * What one checker saw of a region in a dry run, the operators it would build, or why none.
 *
 * @param checker the checker's name ("replica", "merge", ...)
 * @param saw facts the checker noticed, in order ("peer 4 on store 4 is down for 1800s")
 * @param operators the operators it would build (empty when none)
 * @param reason why it built none, or {@link Reason#BUILT}
 * @param detail the reason in words, with values
 * @param rejectedStores candidate stores filtered out, each with why
 */
public record CheckerReport(String checker, List<String> saw, List<Operator> operators,
    Reason reason, String detail, List<StoreRejection> rejectedStores) {
  public CheckerReport {
    saw = List.copyOf(saw);
    operators = List.copyOf(operators);
    rejectedStores = List.copyOf(rejectedStores);
  }
}
