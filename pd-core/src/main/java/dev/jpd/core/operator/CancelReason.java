package dev.jpd.core.operator;

/** Why an operator was canceled, in PD's words ({@code operator.go}). */
public enum CancelReason {
  REGION_NOT_FOUND("region not found"),
  EPOCH_NOT_MATCH("epoch not match"),
  ALREADY_EXIST("already exist"),
  ADMIN_STOP("admin stop"),
  NOT_IN_RUNNING_STATE("not in running state"),
  TIMEOUT("timeout"),
  EXPIRED("expired"),
  NOT_IN_CREATE_STATUS("not in create status"),
  STALE_STATUS("stale status"),
  EXCEED_STORE_LIMIT("exceed store limit"),
  EXCEED_WAIT_LIMIT("exceed wait limit"),
  RELATED_MERGE_REGION("related merge region"),
  START_FAILED("start failed"),
  UNKNOWN("unknown");

  private final String text;

  CancelReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
