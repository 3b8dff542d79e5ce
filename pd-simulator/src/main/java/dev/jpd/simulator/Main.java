package dev.jpd.simulator;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code pd-simulator}: runs a case against a running PD, lists the cases, or runs a bench.
 * Exit status: 0 success, 1 the case failed or the PD could not be reached, 2 bad input.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage:",
      "  pd-simulator --pd HOST:PORT --case NAME [--pd-http HOST:PORT] [--tick-wall-ms N]",
      "               run a case against a fresh PD (cases that set PD config or delete stores",
      "               need --pd-http; against a PD on the wall clock, pace with --tick-wall-ms 100)",
      "  pd-simulator --list                                           list the cases and their status",
      "  pd-simulator heartbeat-bench --pd HOST:PORT [--regions 1000000] [--stores 20] [--replicas 3]",
      "               [--rounds 5] [--update-ratio 0.35] [--pd-http HOST:PORT]",
      "               region heartbeats per second; with --pd-http also the PD's own handling time",
      "  pd-simulator tso-bench --pd HOST:PORT [--clients 1] [--concurrency 100] [--batch 1]",
      "               [--duration-s 10]                                 TSO requests per second, latency",
      "A case needs a fresh PD (empty data dir): it bootstraps the cluster itself.");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    try {
      if (!args.isEmpty() && args.get(0).equals("heartbeat-bench")) {
        Flags f = Flags.parse(args.subList(1, args.size()),
            Set.of("pd", "pd-http", "regions", "stores", "replicas", "rounds", "update-ratio"), Set.of());
        String http = f.get("pd-http", null);
        PdHandlingLatency before = http == null ? null : PdHandlingLatency.scrape(http);
        HeartbeatBench.Result r = HeartbeatBench.run(pd(f), HeartbeatBench.Options.from(f), out);
        r.print(out);
        if (http != null) {
          out.println("  " + PdHandlingLatency.scrape(http).since(before).describe());
        }
        return 0;
      }
      if (!args.isEmpty() && args.get(0).equals("tso-bench")) {
        Flags f = Flags.parse(args.subList(1, args.size()),
            Set.of("pd", "clients", "concurrency", "batch", "duration-s"), Set.of());
        TsoBench.Result r = TsoBench.run(pd(f), TsoBench.Options.from(f));
        r.print(out);
        return r.monotonic() ? 0 : 1;
      }
      Flags f = Flags.parse(args, Set.of("pd", "pd-http", "case", "tick-wall-ms"), Set.of("list", "help"));
      if (f.has("help")) {
        out.println(USAGE);
        return 0;
      }
      if (f.has("list")) {
        Cases.listing().forEach(out::println);
        return 0;
      }
      if (!f.has("case")) {
        throw new Flags.UsageError("missing --case (or --list)");
      }
      SimCase c = Cases.all().get(f.get("case", ""));
      if (c == null) {
        throw new Flags.UsageError("unknown case '" + f.get("case", "") + "'; cases: "
            + String.join(", ", Cases.all().keySet()));
      }
      String pd = pd(f);
      long pace = f.getLong("tick-wall-ms", 0, 0);
      if (!c.ready()) {
        out.println("note: case " + c.name() + " is pending (" + c.pending() + "); running it anyway");
      }
      CaseResult r = runCase(pd, f.get("pd-http", null), c, pace,
          new SimClock(System.currentTimeMillis()));
      r.print(out);
      return r.converged() ? 0 : 1;
    } catch (Flags.UsageError e) {
      err.println("pd-simulator: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("pd-simulator: interrupted");
      return 1;
    } catch (java.io.IOException e) {
      err.println("pd-simulator: cannot read the PD's /metrics: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("pd-simulator: " + e.getMessage());
      return 1;
    }
  }

  private static String pd(Flags f) {
    if (!f.has("pd")) {
      throw new Flags.UsageError("missing --pd HOST:PORT");
    }
    String pd = f.get("pd", "");
    try {
      PdClient.HostAndPort.parse(pd);
    } catch (IllegalArgumentException e) {
      throw new Flags.UsageError(e.getMessage());
    }
    return pd;
  }

  static CaseResult runCase(String pdAddress, SimCase c, long tickWallMillis)
      throws InterruptedException {
    return runCase(pdAddress, null, c, tickWallMillis, new SimClock(System.currentTimeMillis()));
  }

  /**
   * Runs the case on {@code clock}; a PD in the same process can share it so that its timers
   * (store down time, store limits, operator timeouts) follow simulated time.
   */
  static CaseResult runCase(String pdAddress, String pdHttp, SimCase c, long tickWallMillis,
      SimClock clock) throws InterruptedException {
    try (PdClient pd = new PdClient(pdAddress)) {
      Driver d = new Driver(pd, pdHttp == null ? null : new PdHttp(pdHttp), c, clock,
          tickWallMillis);
      d.setup();
      return d.run();
    }
  }
}
