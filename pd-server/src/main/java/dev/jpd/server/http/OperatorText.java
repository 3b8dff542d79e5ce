package dev.jpd.server.http;

import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.OpStatus;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.time.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators as PD's HTTP API shows them. PD marshals an operator as the JSON string of its
 * {@code String()} ({@code desc {brief} (kind:…, region:id(version, conf_ver), createAt:…,
 * startAt:…, currentStep:n, size:n, steps:[0:{…}, …], timeout:[…])}, with " finished" or
 * " timeout" appended), a status as {@code "status: RUNNING, operator: …"}, a record as
 * {@code "… (finishAt:…, duration:…)"}, and with {@code ?object} as a JSON object. Times are Go's
 * {@code time.Time.String()} in UTC, durations Go's {@code Duration.String()}.
 */
final class OperatorText {
  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String ZERO_TIME = "0001-01-01 00:00:00 +0000 UTC";

  private OperatorText() {}

  /** PD's {@code Operator.String()}. */
  static String of(Operator op) {
    List<String> steps = new ArrayList<>(op.len());
    for (int i = 0; i < op.len(); i++) {
      steps.add(i + ":{" + op.step(i) + "}");
    }
    String s = op.desc() + " {" + op.brief() + "} (kind:" + OpKind.toString(op.kinds())
        + ", region:" + op.regionId() + "(" + op.epoch().getVersion() + ", "
        + op.epoch().getConfVer() + "), createAt:" + time(op.createMillis())
        + ", startAt:" + time(op.startMillis()) + ", currentStep:" + op.currentStepIndex()
        + ", size:" + op.approximateSize() + ", steps:[" + String.join(", ", steps)
        + "], timeout:[" + GoDuration.format(op.timeout()) + "])";
    OpStatus st = op.status();
    if (st == OpStatus.SUCCESS) {
      s += " finished";
    } else if (st == OpStatus.TIMEOUT) {
      s += " timeout";
    }
    return s;
  }

  /** PD's {@code OpWithStatus}: what {@code GET /operators/{region_id}} answers. */
  static String withStatus(Operator op) {
    return "status: " + op.status().toPdpb().name() + ", operator: " + of(op);
  }

  /** PD's {@code OpRecord}: a finished operator with when it ended and how long it ran. */
  static String record(Operator op) {
    long end = endMillis(op);
    long start = op.startMillis() > 0 ? op.startMillis() : op.createMillis();
    return of(op) + " (finishAt:" + time(end) + ", duration:"
        + GoDuration.format(Duration.ofMillis(Math.max(0, end - start))) + ")";
  }

  /**
   * PD's {@code OpObject} ({@code ?object}): desc, brief, region id and epoch, kind and status
   * as numbers, timeout as a Go duration.
   */
  static Map<String, Object> object(Operator op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("desc", op.desc());
    m.put("brief", op.brief());
    m.put("region_id", op.regionId());
    m.put("region_epoch", Map.of(
        "conf_ver", op.epoch().getConfVer(), "version", op.epoch().getVersion()));
    // Go marshals PD's OpKind and OpStatus (uint32 without MarshalJSON) as numbers: the kind bit
    // set (the same bits as OpKind's order) and the status's place in CREATED..TIMEOUT.
    m.put("kind", op.kinds());
    m.put("timeout", GoDuration.format(op.timeout()));
    m.put("status", op.status().ordinal());
    return m;
  }

  /** When the operator reached its end status, or -1 while it runs. */
  static long endMillis(Operator op) {
    OpStatus st = op.status();
    return st.isEnd() ? op.reachedMillis(st) : -1;
  }

  /** Go's {@code time.Time.String()} in UTC; the zero time for "never". */
  static String time(long millis) {
    if (millis <= 0) {
      return ZERO_TIME;
    }
    Instant t = Instant.ofEpochMilli(millis);
    String frac = "";
    int ms = (int) (millis % 1000);
    if (ms != 0) {
      frac = String.format(".%03d", ms).replaceAll("0+$", "");
    }
    return GO_TIME.format(t) + frac + " +0000 UTC";
  }
}
