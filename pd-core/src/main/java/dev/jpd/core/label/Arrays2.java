package dev.jpd.core.label;

import java.util.Arrays;

/** Keys compare as unsigned bytes, as TiKV orders them. */
final class Arrays2 {
  private Arrays2() {}

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
