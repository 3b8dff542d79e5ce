package dev.jpd.core.operator;

import dev.jpd.proto.Pdpb;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An operator's status, as a transition table (PD's {@code status.go}):
 *
 * <pre>
 *   CREATED ──▶ STARTED ──▶ SUCCESS
 *      │           ├──────▶ CANCELED
 *      │           ├──────▶ REPLACED
 *      │           └──────▶ TIMEOUT
 *      ├──▶ CANCELED
 *      └──▶ EXPIRED   (not started within 3 s of creation)
 * </pre>
 *
 * Every end status is final.
 */
public enum OpStatus {
  CREATED,
  STARTED,
  SUCCESS,
  CANCELED,
  REPLACED,
  EXPIRED,
  TIMEOUT;

  private static final Map<OpStatus, Set<OpStatus>> NEXT =
      Map.of(
          CREATED, EnumSet.of(STARTED, CANCELED, EXPIRED),
          STARTED, EnumSet.of(SUCCESS, CANCELED, REPLACED, TIMEOUT),
          SUCCESS, EnumSet.noneOf(OpStatus.class),
          CANCELED, EnumSet.noneOf(OpStatus.class),
          REPLACED, EnumSet.noneOf(OpStatus.class),
          EXPIRED, EnumSet.noneOf(OpStatus.class),
          TIMEOUT, EnumSet.noneOf(OpStatus.class));

  public boolean canMoveTo(OpStatus next) {
    return NEXT.get(this).contains(next);
  }

  public boolean isEnd() {
    return NEXT.get(this).isEmpty();
  }

  /** What {@code GetOperator} reports (pdpb has no CREATED or EXPIRED). */
  public Pdpb.OperatorStatus toPdpb() {
    return switch (this) {
      case CREATED, STARTED -> Pdpb.OperatorStatus.RUNNING;
      case SUCCESS -> Pdpb.OperatorStatus.SUCCESS;
      case CANCELED -> Pdpb.OperatorStatus.CANCEL;
      case REPLACED -> Pdpb.OperatorStatus.REPLACE;
      case EXPIRED, TIMEOUT -> Pdpb.OperatorStatus.TIMEOUT;
    };
  }
}
