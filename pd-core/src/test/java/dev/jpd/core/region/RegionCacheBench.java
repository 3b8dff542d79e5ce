package dev.jpd.core.region;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Region cache bench (a plain main, not a test): heap bytes per region, one-thread heartbeat
 * triage-and-apply throughput and GetRegion-by-key latency under concurrent heartbeats and full
 * scans. Regions are typical: 3 peers (one leader), 20-byte keys, adjacent ranges.
 *
 * <pre>
 * java -Xmx20g -cp ... dev.jpd.core.region.RegionCacheBench memory 1000000
 * java -Xmx4g  -cp ... dev.jpd.core.region.RegionCacheBench heartbeat 1000000 5
 * java -Xmx4g  -cp ... dev.jpd.core.region.RegionCacheBench latency 1000000 10
 * </pre>
 */
final class RegionCacheBench {
  private static final int STORES = 30;
  private static final byte[] KEY_PREFIX = {'t', (byte) 0x80, 0, 0, 0, 0, 0, 0, 5, '_', 'r'};

  private RegionCacheBench() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "memory";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    switch (what) {
      case "memory" -> memory(n);
      case "heartbeat" -> heartbeat(n, runs);
      case "latency" -> latency(n, runs);
      default -> throw new IllegalArgumentException(
          "unknown bench " + what + ": use memory, heartbeat or latency");
    }
  }

  /** A 20-byte key: a TiDB-like row key prefix and the big-endian region number. */
  static ByteString key(long i) {
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put(KEY_PREFIX).putLong(i).put((byte) 0);
    return ByteString.copyFrom(b.array());
  }

  /** Region i of n: [key(i), key(i + 1)), the first starting and the last ending unbounded. */
  static Pdpb.RegionHeartbeatRequest request(long i, int n, int leaderIndex, long written) {
    long id = i + 1;
    Metapb.Region.Builder r =
        Metapb.Region.newBuilder()
            .setId(id)
            .setStartKey(i == 0 ? ByteString.EMPTY : key(i))
            .setEndKey(i == n - 1 ? ByteString.EMPTY : key(i + 1))
            .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setVersion(5).setConfVer(5));
    for (int p = 0; p < 3; p++) {
      long store = 1 + (i + p * 7) % STORES;
      r.addPeers(Metapb.Peer.newBuilder().setId(id * 4 + p).setStoreId(store));
    }
    Metapb.Region region = r.build();
    return Pdpb.RegionHeartbeatRequest.newBuilder()
        .setRegion(region)
        .setLeader(region.getPeers(leaderIndex))
        .setApproximateSize(96L << 20)
        .setApproximateKeys(960_000)
        .setBytesWritten(written)
        .setKeysWritten(written / 100)
        .setBytesRead(written * 2)
        .setKeysRead(written / 50)
        .setTerm(7)
        .setInterval(Pdpb.TimeInterval.newBuilder().setStartTimestamp(1000).setEndTimestamp(1060))
        .build();
  }

  static RegionsInfo fill(int n) {
    RegionsInfo cache = new RegionsInfo();
    for (int i = 0; i < n; i++) {
      HeartbeatResult r = cache.handleHeartbeat(RegionInfo.fromHeartbeat(request(i, n, 0, i)));
      if (r.stale()) {
        throw new IllegalStateException("fill: " + r.decision());
      }
    }
    return cache;
  }

  private static long usedHeap(MemoryMXBean mx) throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  static void memory(int n) throws Exception {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long before = usedHeap(mx);
    long t0 = System.nanoTime();
    RegionsInfo cache = fill(n);
    long fillMs = (System.nanoTime() - t0) / 1_000_000;
    long after = usedHeap(mx);
    System.out.printf("memory: regions=%d heap_delta_bytes=%d bytes_per_region=%.1f fill_ms=%d%n",
        cache.size(), after - before, (after - before) / (double) n, fillMs);
    // Touch the cache after measuring so that it stays reachable through the measurement.
    if (cache.getRegionByKey(key(n / 2)) == null) {
      throw new IllegalStateException("lost a region");
    }
  }

  /**
   * One thread, {@code runs} timed passes over a fixed set of prepared heartbeats after warm-up
   * passes. Ratio 0: every heartbeat changes flows only. Ratio 0.1: every tenth moves the leader
   * (alternating peers from pass to pass, so that it is a change every time).
   */
  static void heartbeat(int n, int runs) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    RegionsInfo cache = fill(n);
    int batch = Math.min(n, 200_000);
    Random rnd = new Random(1);
    // Distinct regions, so that each report of a pass is judged against its own previous one.
    int[] picks = new int[batch];
    java.util.BitSet used = new java.util.BitSet(n);
    for (int j = 0; j < batch; j++) {
      int i = rnd.nextInt(n);
      while (used.get(i)) {
        i = (i + 1) % n;
      }
      used.set(i);
      picks[j] = i;
    }
    for (double ratio : new double[] {0, 0.1}) {
      int every = ratio == 0 ? Integer.MAX_VALUE : (int) Math.round(1 / ratio);
      Pdpb.RegionHeartbeatRequest[][] reqs = new Pdpb.RegionHeartbeatRequest[2][batch];
      RegionInfo[][] infos = new RegionInfo[2][batch];
      for (int j = 0; j < batch; j++) {
        int i = picks[j];
        boolean structural = ratio > 0 && j % every == 0;
        for (int pass = 0; pass < 2; pass++) {
          int leader = structural ? (pass == 0 ? 1 : 0) : 0;
          long written = 1000L * rnd.nextInt(1 << 20);
          reqs[pass][j] = request(i, n, leader, written);
          infos[pass][j] = RegionInfo.fromHeartbeat(reqs[pass][j]);
        }
      }
      // Structural reports of the same region must alternate, stats ones always change flows.
      for (int pass = 0; pass < runs + 3; pass++) {
        boolean warm = pass < 3;
        long[] counts = new long[3];
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int j = 0; j < batch; j++) {
          count(counts, cache.handleHeartbeat(infos[pass & 1][j]));
        }
        long t1 = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        for (int j = 0; j < batch; j++) {
          count(counts, cache.handleHeartbeat(RegionInfo.fromHeartbeat(reqs[pass & 1][j])));
        }
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        // Per CPU-second of this thread as well as per wall second: on a shared machine the
        // first is the per-core figure, the second what this run happened to get.
        if (!warm) {
          System.out.printf(
              "heartbeat: regions=%d ratio=%.1f apply_per_cpu_s=%.0f apply_per_wall_s=%.0f"
                  + " decode_and_apply_per_cpu_s=%.0f decode_and_apply_per_wall_s=%.0f"
                  + " stats_only=%d structural=%d stale=%d%n",
              n, ratio, batch * 1e9 / (c1 - c0), batch * 1e9 / (t1 - t0),
              batch * 1e9 / (c2 - c1), batch * 1e9 / (t2 - t1),
              counts[0], counts[1], counts[2]);
        }
      }
    }
  }

  private static void count(long[] counts, HeartbeatResult r) {
    counts[r.stale() ? 2 : r.decision().statsOnly() ? 0 : 1]++;
  }

  /**
   * GetRegion by key from one thread while one thread sends heartbeats (10% leader changes) and
   * another scans every region again and again, for {@code seconds}. Reports the look-up p50/p99
   * and the worst time a structural heartbeat (the ones that take the range write lock) took.
   */
  static void latency(int n, int seconds) throws Exception {
    RegionsInfo cache = fill(n);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong scans = new AtomicLong();
    AtomicLong heartbeats = new AtomicLong();
    long[] structuralNanos = new long[1 << 22];
    int[] structuralCount = new int[1];
    AtomicLong scanCpuNanos = new AtomicLong();
    AtomicLong scanned = new AtomicLong();
    Thread scanner = new Thread(() -> {
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      while (!stop.get()) {
        long c0 = cpu.getCurrentThreadCpuTime();
        int got = cache.scanRegions(ByteString.EMPTY, ByteString.EMPTY, 0).size();
        scanCpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - c0);
        scanned.addAndGet(got);
        if (got < n / 2) {
          throw new IllegalStateException("scan saw " + got);
        }
        scans.incrementAndGet();
      }
    }, "scan");
    Thread beater = new Thread(() -> {
      Random rnd = new Random(2);
      int[] leaderOf = new int[n];
      long k = 0;
      while (!stop.get()) {
        int i = rnd.nextInt(n);
        boolean structural = k++ % 10 == 0;
        if (structural) {
          leaderOf[i] = (leaderOf[i] + 1) % 3;
        }
        RegionInfo report = RegionInfo.fromHeartbeat(request(i, n, leaderOf[i], k * 1000));
        long t0 = System.nanoTime();
        cache.handleHeartbeat(report);
        long dt = System.nanoTime() - t0;
        if (structural && structuralCount[0] < structuralNanos.length) {
          structuralNanos[structuralCount[0]++] = dt;
        }
        heartbeats.incrementAndGet();
      }
    }, "heartbeat");
    // Warm-up, then measure.
    long warmUntil = System.nanoTime() + 3_000_000_000L;
    Random rnd = new Random(3);
    while (System.nanoTime() < warmUntil) {
      cache.getRegionByKey(key(rnd.nextInt(n)));
    }
    scanner.start();
    beater.start();
    long[] lat = new long[1 << 24];
    int m = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end && m < lat.length) {
      ByteString k = key(rnd.nextInt(n));
      long t0 = System.nanoTime();
      RegionInfo r = cache.getRegionByKey(k);
      lat[m++] = System.nanoTime() - t0;
      if (r == null) {
        throw new IllegalStateException("no region for a key");
      }
    }
    stop.set(true);
    scanner.join();
    beater.join();
    Arrays.sort(lat, 0, m);
    long[] st = Arrays.copyOf(structuralNanos, structuralCount[0]);
    Arrays.sort(st);
    System.out.printf(
        "latency: regions=%d gets=%d get_p50_us=%.2f get_p99_us=%.2f get_p999_us=%.2f"
            + " get_max_us=%.1f full_scans=%d heartbeats=%d structural=%d"
            + " structural_p99_us=%.1f structural_max_us=%.1f%n",
        n, m, lat[m / 2] / 1e3, lat[(int) (m * 0.99)] / 1e3, lat[(int) (m * 0.999)] / 1e3,
        lat[m - 1] / 1e3, scans.get(), heartbeats.get(), st.length,
        st.length == 0 ? 0 : st[(int) (st.length * 0.99)] / 1e3,
        st.length == 0 ? 0 : st[st.length - 1] / 1e3);
    // What a writer waits behind a scan when the scanning thread is not descheduled: the CPU
    // time of one chunk copied under the read lock.
    double perRegion = scanned.get() == 0 ? 0 : scanCpuNanos.get() / (double) scanned.get();
    System.out.printf("latency: scan_cpu_ns_per_region=%.1f chunk=%d est_chunk_hold_us=%.1f%n",
        perRegion, RegionsInfo.SCAN_CHUNK, perRegion * RegionsInfo.SCAN_CHUNK / 1e3);
  }
}
