package dev.jpd.checker;

import dev.jpd.core.operator.Operator;
import java.util.List;

/**
 * A dry run of the checker chain over one region: why it is (un)healthy and why no operator.
 *
 * @param regionId the region
 * @param runningOperator the region's running operator (the patrol loop skips such regions), or
 *     null
 * @param reports per checker that ran, in chain order
 * @param operators what the chain would hand to the operator controller now
 */
public record Diagnosis(long regionId, Operator runningOperator, List<CheckerReport> reports,
    List<Operator> operators) {
  public Diagnosis {
    reports = List.copyOf(reports);
    operators = List.copyOf(operators);
  }
}
