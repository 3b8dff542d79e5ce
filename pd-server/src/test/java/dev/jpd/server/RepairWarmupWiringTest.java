package dev.jpd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.checker.patrol.RepairWarmup;
import dev.jpd.server.CheckerWiring.Warmup;
import dev.jpd.server.CheckerWiring.WarmupStart;
import dev.jpd.server.config.PdConfig;
import dev.jpd.server.testing.TestPd;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code repair-warmup}: on by default, once per process, off when switched off. */
@Timeout(120)
class RepairWarmupWiringTest {
  @TempDir Path dir;

  private static final RepairWarmup.Result FIGURES =
      new RepairWarmup.Result(10, 1, 5, 5, 1, 1, 1);

  @Test
  void offInTheConfigStartsNothing() {
    PdConfig off = PdConfig.parse("repair-warmup = false", "pd.toml");
    try (TestPd pd = TestPd.start(ServerOptions.forTest(dir).withConfig(off))) {
      Warmup w = pd.server().repairWarmup();
      assertThat(w.start()).isEqualTo(WarmupStart.OFF);
      assertThat(w.result()).isNull();
    }
  }

  @Test
  void testMembersHaveItOff() {
    assertThat(ServerOptions.forTest(dir).config().repairWarmup()).isFalse();
  }

  @Test
  void onByDefaultTheDaemonRunsItAndStopsItOnClose() throws Exception {
    assertThat(Main.options(PdConfig.defaults()).config().repairWarmup()).isTrue();
    Warmup w;
    try (TestPd pd = TestPd.start(ServerOptions.forTest(dir).withConfig(PdConfig.defaults()))) {
      w = pd.server().repairWarmup();
      // the only member of this test JVM with it on starts it; were there another, it would
      // have been that one's
      assertThat(w.start()).isIn(WarmupStart.STARTED, WarmupStart.DONE_IN_PROCESS);
    }
    if (w.start() == WarmupStart.STARTED) {
      // close interrupted it: it ends after the pass under way, every pass whole
      RepairWarmup.Result r = w.result().get(30, TimeUnit.SECONDS);
      assertThat(r.operators()).isEqualTo(r.repairs());
      w.thread().join(30_000);
      assertThat(w.thread().isAlive()).isFalse();
    }
  }

  @Test
  void startsOncePerProcessOnALowPriorityDaemonThread() {
    AtomicBoolean claimed = new AtomicBoolean();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();

    Warmup first = CheckerWiring.startWarmup(true, claimed, () -> {
      runs.incrementAndGet();
      ranOn.set(Thread.currentThread());
      return FIGURES;
    });
    assertThat(first.start()).isEqualTo(WarmupStart.STARTED);
    assertThat(first.result().join()).isEqualTo(FIGURES);
    Thread t = ranOn.get();
    assertThat(t).isNotSameAs(Thread.currentThread());
    assertThat(t.getName()).isEqualTo("pd-warmup");
    assertThat(t.isDaemon()).isTrue();
    assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY);

    Warmup second = CheckerWiring.startWarmup(true, claimed, () -> {
      runs.incrementAndGet();
      return FIGURES;
    });
    assertThat(second.start()).isEqualTo(WarmupStart.DONE_IN_PROCESS);
    assertThat(second.result()).isNull();
    assertThat(runs).hasValue(1);
  }

  @Test
  void offRunsNothingAndClaimsNothing() {
    AtomicBoolean claimed = new AtomicBoolean();
    Warmup w = CheckerWiring.startWarmup(false, claimed, () -> {
      throw new AssertionError("must not run");
    });
    assertThat(w.start()).isEqualTo(WarmupStart.OFF);
    assertThat(claimed).isFalse();
  }

  @Test
  void aFailedWarmupEndsItsFuture() {
    Warmup w = CheckerWiring.startWarmup(true, new AtomicBoolean(), () -> {
      throw new IllegalStateException("boom");
    });
    assertThatThrownBy(() -> w.result().join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
  }
}
