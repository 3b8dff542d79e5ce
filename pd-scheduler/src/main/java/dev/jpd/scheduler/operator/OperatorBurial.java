package dev.jpd.scheduler.operator;

import dev.jpd.core.operator.CancelReason;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every operator (PD's {@code buryOperator}): one log line in PD's words ("operator
 * finish", "operator timeout", "operator canceled", "replace old operator", "operator expired"),
 * the end counted and timed, and the operator kept in the records. The controller calls it
 * exactly once per operator, from whichever thread took it out of the running set.
 */
final class OperatorBurial {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);

  private final OperatorMetrics metrics;
  private final OperatorRecords records;

  OperatorBurial(OperatorMetrics metrics, OperatorRecords records) {
    this.metrics = metrics;
    this.records = records;
  }

  /** PD's {@code buryOperator}: logs the end in PD's words, counts it, keeps the record. */
  void bury(Operator op, long now) {
    OpStatus st = op.status();
    if (!st.isEnd()) {
      LOG.error("burying operator with non-end status region-id={} status={} operator=\"{}\"",
          op.regionId(), st, op);
      metrics.event(op.desc(), "unexpected");
      op.cancel(CancelReason.UNKNOWN, now);
      st = op.status();
    }
    long takes = runningMillis(op, now);
    switch (st) {
      case SUCCESS -> {
        LOG.info("operator finish region-id={} takes={}ms operator=\"{}\" additional-info={}",
            op.regionId(), takes, op, op.additionalInfo());
        metrics.event(op.desc(), "finish");
        metrics.finished(op.desc(), takes);
      }
      case REPLACED -> {
        LOG.info("replace old operator region-id={} takes={}ms operator=\"{}\" additional-info={}",
            op.regionId(), takes, op, op.additionalInfo());
        metrics.event(op.desc(), "replace");
      }
      case EXPIRED -> {
        LOG.info("operator expired region-id={} lives={}ms operator=\"{}\"",
            op.regionId(), now - op.createMillis(), op);
        metrics.event(op.desc(), "expire");
      }
      case TIMEOUT -> {
        LOG.info("operator timeout region-id={} takes={}ms operator=\"{}\" additional-info={}",
            op.regionId(), takes, op, op.additionalInfo());
        metrics.event(op.desc(), "timeout");
      }
      default -> {
        CancelReason why = op.cancelReason();
        LOG.info("operator canceled region-id={} takes={}ms reason=\"{}\" operator=\"{}\" "
            + "additional-info={}", op.regionId(), takes, why == null ? "" : why.text(), op,
            op.additionalInfo());
        metrics.event(op.desc(), "cancel");
      }
    }
    records.put(op, now);
  }

  static long runningMillis(Operator op, long now) {
    long start = op.startMillis();
    if (start < 0) {
      return 0;
    }
    long end = op.isEnd() ? op.reachedMillis(op.status()) : now;
    return Math.max(0, end - start);
  }
}
