package dev.jpd.core.label;

/**
 * One key range of a {@code key-range} label rule as PD's JSON carries it: {@code start_key} and
 * {@code end_key} in hex (either case; an empty end key means the end of the key space). Kept as
 * given, so that a rule reads back exactly as it was written.
 */
public record HexRange(String startKey, String endKey) {
  public HexRange {
    startKey = startKey == null ? "" : startKey;
    endKey = endKey == null ? "" : endKey;
  }
}
