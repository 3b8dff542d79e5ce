package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One tiny run of each bench, checking the output is sane; the real figures are in docs/. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchSmokeTest {
  @TempDir Path dir;

  @Test
  void heartbeatBenchReportsEveryRoundAndThePdHoldsEveryRegion() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
      HeartbeatBench.Result r = HeartbeatBench.run(pd.address(),
          new HeartbeatBench.Options(500, 4, 3, 2, 0.5), ps);
      assertThat(r.rounds()).hasSize(3);
      assertThat(r.rounds()).allSatisfy(x -> {
        assertThat(x.heartbeats()).isEqualTo(500);
        assertThat(x.rate()).isPositive();
      });
      assertThat(pd.server.cluster().regions().size()).isEqualTo(500);
      r.print(ps);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("steady rounds:");
    }
  }

  @Test
  void heartbeatBenchReadsThePdsOwnHandlingTimeFromItsMetrics() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
      int rc = Main.run(List.of("heartbeat-bench", "--pd", pd.address(),
          "--pd-http", "127.0.0.1:" + pd.server.httpPort(),
          "--regions", "200", "--stores", "3", "--rounds", "1"), ps, ps);
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(rc).as(text).isZero();
      // round 0 and round 1 each send every region once; the PD observed all of them
      assertThat(text).contains("PD handling time").contains(" 400 heartbeats").contains("p99 <=");
    }
  }

  @Test
  void tsoBenchCountsRequestsAndFindsThemStrictlyMonotonic() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir)) {
      TsoBench.Result r = TsoBench.run(pd.address(), new TsoBench.Options(2, 4, 3, 300));
      assertThat(r.errors()).isZero();
      assertThat(r.requests()).isPositive();
      assertThat(r.timestamps()).isEqualTo(r.requests() * 3);
      assertThat(r.violation()).isNull();
      assertThat(r.p50Micros()).isLessThanOrEqualTo(r.p99Micros());
      assertThat(r.p99Micros()).isLessThanOrEqualTo(r.maxMicros());
    }
  }

  @Test
  void theMonotonicityCheckCatchesDuplicatesAndCausalInversions() {
    // {sent, received, first, last}
    assertThat(TsoBench.checkGlobal(new long[][] {{0, 10, 1, 3}, {1, 11, 4, 6}})).isNull();
    assertThat(TsoBench.checkGlobal(new long[][] {{0, 10, 1, 3}, {1, 11, 3, 5}})).contains("twice");
    assertThat(TsoBench.checkGlobal(new long[][] {{0, 10, 7, 9}, {20, 30, 4, 6}}))
        .contains("requested after 9");
  }

  @Test
  void tsoBenchRunsFromTheCommandLine() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc = Main.run(List.of("tso-bench", "--pd", pd.address(), "--concurrency", "2", "--duration-s", "1"),
          new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      assertThat(rc).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("req/s").contains("p99.9")
          .contains("strictly monotonic across all clients: yes");
    }
  }
}
