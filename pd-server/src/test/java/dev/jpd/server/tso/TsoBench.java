package dev.jpd.server.tso;

import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.PdKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput of {@link TsoAllocator#generate} on the real clock with the real update loop (PD's
 * defaults), for 1, 2 and 4 threads and batch sizes 1 and 10. Not a test: run its main.
 *
 * <pre>
 * ./mvnw -q -B -pl pd-server -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
 * java -cp pd-server/target/test-classes:pd-server/target/classes:$(cat \
 *     pd-server/target/bench.classpath) dev.jpd.server.tso.TsoBench [seconds-per-run]
 * </pre>
 */
public final class TsoBench {
  private TsoBench() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cpus, %d s per run after 1 s warm-up%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        seconds);
    for (int count : new int[] {1, 10}) {
      for (int threads : new int[] {1, 2, 4}) {
        run(threads, count, seconds);
      }
    }
  }

  private static void run(int threads, int count, long seconds) throws Exception {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    TsoAllocator tso =
        new TsoAllocator(new MemoryMetaStore(), new PdKeys(1), Clock.systemUTC(), executor);
    tso.start();
    try {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicBoolean measuring = new AtomicBoolean(false);
      long[] calls = new long[threads * 16]; // one padded slot per thread
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slot = t * 16;
        Thread w =
            new Thread(
                () -> {
                  long n = 0;
                  long sink = 0;
                  boolean counting = false;
                  while (running.get()) {
                    if (!counting && measuring.get()) {
                      counting = true;
                      n = 0;
                    }
                    sink ^= tso.generate(count).logical();
                    n++;
                  }
                  calls[slot] = n;
                  if (sink == 42) {
                    System.out.print("");
                  }
                },
                "tso-bench-" + t);
        workers.add(w);
        w.start();
      }
      Thread.sleep(1_000);
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep(seconds * 1_000);
      running.set(false);
      long elapsed = System.nanoTime() - start;
      for (Thread w : workers) {
        w.join();
      }
      long total = 0;
      for (int t = 0; t < threads; t++) {
        total += calls[t * 16];
      }
      double callsPerSecond = total / (elapsed / 1e9);
      System.out.printf(
          Locale.ROOT,
          "threads=%d count=%-2d  %,14.0f calls/s  %,14.0f timestamps/s%n",
          threads,
          count,
          callsPerSecond,
          callsPerSecond * count);
    } finally {
      tso.stop();
      executor.shutdownNow();
    }
  }
}
