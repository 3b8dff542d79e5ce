package dev.jpd.server;

import dev.jpd.server.id.IdAllocator;
import dev.jpd.server.tso.TsoEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Server-wide meters with PD's names: {@code pd_tso_events{type, group}},
 * {@code pd_cluster_id{type="idalloc"}}, and the process metrics PD's alerts read
 * ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes}; Micrometer's
 * {@code UptimeMetrics} gives {@code process_start_time_seconds}). See {@code docs/metrics.md}.
 */
final class ServerMetrics {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private ServerMetrics() {}

  /** A sink for the TSO allocator's events, one counter per type registered up front. */
  static Consumer<TsoEvent> tsoEvents(MeterRegistry registry) {
    Map<TsoEvent, Counter> counters = new EnumMap<>(TsoEvent.class);
    for (TsoEvent e : TsoEvent.values()) {
      counters.put(
          e,
          Counter.builder("pd_tso_events")
              .description("Counter of tso events")
              .tag("type", e.label())
              .tag("group", "0")
              .register(registry));
    }
    return e -> counters.get(e).increment();
  }

  /** PD's gauge of the ID allocator: the end of the persisted window. */
  static void bindIdAllocator(MeterRegistry registry, IdAllocator ids) {
    Gauge.builder("pd_cluster_id", ids, IdAllocator::windowEnd)
        .description("Record of id allocator.")
        .tag("type", "idalloc")
        .register(registry);
  }

  /** CPU seconds and resident memory of this process, under the Prometheus client's names. */
  static void bindProcess(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process_cpu_seconds", sun, b -> b.getProcessCpuTime() / 1e9)
          .description("Total user and system CPU time spent in seconds.")
          .register(registry);
    }
    if (Files.isReadable(PROC_STATUS)) {
      Gauge.builder("process_resident_memory_bytes", ServerMetrics::residentBytes)
          .description("Resident memory size in bytes.")
          .register(registry);
    }
  }

  /** VmRSS from /proc/self/status (Linux), or NaN. */
  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
