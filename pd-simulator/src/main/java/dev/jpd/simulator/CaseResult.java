package dev.jpd.simulator;

import java.io.PrintStream;
import java.util.Map;

/** The outcome of one case and the figures it prints. */
record CaseResult(
    String name,
    boolean converged,
    long ticks,
    long simMillis,
    long wallMillis,
    Map<String, Integer> operators,
    Map<Long, Integer> peakSnapshots,
    String detail,
    String state) {

  void print(PrintStream out) {
    if (converged) {
      out.printf("OK [%s] converged after %d ticks: %.1f s simulated, %d ms wall%n",
          name, ticks, simMillis / 1000.0, wallMillis);
    } else {
      out.printf("FAIL [%s] did not converge within %.1f s simulated (%d ticks, %d ms wall)%n",
          name, simMillis / 1000.0, ticks, wallMillis);
    }
    out.println("  check: " + detail);
    out.println("  operators by type: " + (operators.isEmpty() ? "none" : join(operators)));
    out.println("  peak snapshots per store: " + join(peakSnapshots));
    if (!converged) {
      out.println("  state at the end:");
      out.print(state);
    }
  }

  private static String join(Map<?, ?> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
