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

/** The CLI: exit codes, messages, the case listing, a real run against an in-process daemon. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownCaseIsAUsageErrorNamingTheCases() {
    assertThat(run("--pd", "127.0.0.1:2379", "--case", "no-such-case")).isEqualTo(2);
    assertThat(err()).contains("unknown case 'no-such-case'").contains("region-split").contains("usage:");
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertThat(run("--pd", "127.0.0.1:2379", "--case", "region-split", "--bogus", "1")).isEqualTo(2);
    assertThat(err()).contains("unknown flag --bogus");
    assertThat(run("--pd", "localhost", "--case", "region-split")).isEqualTo(2);
    assertThat(err()).contains("bad PD address 'localhost'");
    assertThat(run("--case", "region-split")).isEqualTo(2);
    assertThat(err()).contains("missing --pd");
    assertThat(run("tso-bench", "--pd", "127.0.0.1:1", "--batch", "zero")).isEqualTo(2);
    assertThat(err()).contains("--batch: 'zero' is not a whole number");
    assertThat(run("heartbeat-bench", "--pd", "127.0.0.1:1", "--update-ratio", "2")).isEqualTo(2);
    assertThat(err()).contains("not a ratio");
  }

  @Test
  void listShowsEveryCaseWithItsStatus() {
    assertThat(run("--list")).isZero();
    assertThat(out()).containsPattern("region-split\\s+ready");
    assertThat(out()).containsPattern("balance-leader\\s+pending");
    assertThat(out()).containsPattern("makeup-down-replicas\\s+ready");
    assertThat(out()).contains("needs the schedulers issue");
    for (String name : Cases.all().keySet()) {
      assertThat(out()).contains(name);
    }
  }

  @Test
  void regionSplitAgainstARunningDaemonPrintsItsFigures() throws Exception {
    try (InProcessPd pd = new InProcessPd(dir)) {
      assertThat(run("--pd", pd.address(), "--case", "region-split")).as(err()).isZero();
      assertThat(out()).contains("OK [region-split] converged after")
          .contains("operators by type: ")
          .contains("peak snapshots per store: ");
      // A second run finds the cluster bootstrapped: a clear failure, not a usage error.
      out.reset();
      assertThat(run("--pd", pd.address(), "--case", "region-split")).isEqualTo(1);
      assertThat(err()).contains("already bootstrapped");
    }
  }
}
