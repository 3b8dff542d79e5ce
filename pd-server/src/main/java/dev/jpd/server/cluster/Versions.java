package dev.jpd.server.cluster;

/** Compares store versions such as "8.5.0" or "v7.1.2-alpha" by their numeric parts. */
final class Versions {
  private Versions() {}

  static int compare(String a, String b) {
    int[] x = parts(a);
    int[] y = parts(b);
    for (int i = 0; i < 3; i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return 0;
  }

  private static int[] parts(String v) {
    String s = v.startsWith("v") ? v.substring(1) : v;
    int dash = s.indexOf('-');
    if (dash >= 0) {
      s = s.substring(0, dash);
    }
    String[] p = s.split("\\.");
    int[] out = new int[3];
    for (int i = 0; i < 3 && i < p.length; i++) {
      try {
        out[i] = Integer.parseInt(p[i]);
      } catch (NumberFormatException e) {
        out[i] = 0;
      }
    }
    return out;
  }
}
