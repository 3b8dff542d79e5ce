package dev.jpd.core.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Pdpb;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statistics-only heartbeats (some setting or clearing a pending peer) from several threads,
 * while one thread splits and merges, others scan and look up keys, and one repeatedly freezes the
 * structure and checks the per-store indexes against a brute-force recomputation. Keys are
 * 4-byte big-endian numbers, so half of them start with a byte {@code >= 0x80}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionsInfoConcurrencyTest {
  private static final long KEY_SPACE = 1L << 32;
  private static final int INITIAL_REGIONS = 16;
  private static final int STRUCTURAL_CHANGES = 2_000;
  private static final int STATS_THREADS = 3;
  private static final int MIN_STATS_HEARTBEATS = 20_000;

  private final RegionsInfo cache = new RegionsInfo();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean structuralDone = new AtomicBoolean();
  private final AtomicLong statsApplied = new AtomicLong();
  private final AtomicLong statsStale = new AtomicLong();
  private final AtomicLong storeChecks = new AtomicLong();
  private int splits;
  private int merges;

  private static ByteString enc(long v) {
    return ByteString.copyFrom(ByteBuffer.allocate(4).putInt((int) v).array());
  }

  private static long start(RegionInfo r) {
    return r.startKey().isEmpty()
        ? 0
        : Integer.toUnsignedLong(r.startKey().asReadOnlyByteBuffer().getInt());
  }

  private static long end(RegionInfo r) {
    return r.endKey().isEmpty()
        ? KEY_SPACE
        : Integer.toUnsignedLong(r.endKey().asReadOnlyByteBuffer().getInt());
  }

  @Test
  void statsHeartbeatsSplitsMergesAndScansInterleave() throws Exception {
    long step = KEY_SPACE / INITIAL_REGIONS;
    for (int i = 0; i < INITIAL_REGIONS; i++) {
      ByteString s = i == 0 ? ByteString.EMPTY : enc(i * step);
      ByteString e = i == INITIAL_REGIONS - 1 ? ByteString.EMPTY : enc((i + 1) * step);
      assertThat(cache.handleHeartbeat(Hb.of(i + 1, s, e).ver(2).info()).stale()).isFalse();
    }
    ExecutorService pool = Executors.newFixedThreadPool(STATS_THREADS + 4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      futures.add(pool.submit(() -> guarded(go, this::splitAndMerge)));
      for (int t = 0; t < STATS_THREADS; t++) {
        long seed = t;
        futures.add(pool.submit(() -> guarded(go, () -> statsHeartbeats(seed))));
      }
      futures.add(pool.submit(() -> guarded(go, this::scans)));
      futures.add(pool.submit(() -> guarded(go, this::keyLookups)));
      futures.add(pool.submit(() -> guarded(go, this::storeIndexChecks)));
      go.countDown();
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures).isEmpty();
    assertThat(cache.checkInvariants()).isEmpty();
    assertThat(statsApplied.get()).isGreaterThan(0);
    List<RegionInfo> all = cache.all();
    assertThat(all).hasSize(INITIAL_REGIONS + splits - merges);
    assertThat(cache.size()).isEqualTo(all.size());
    long expectedStart = 0;
    for (RegionInfo r : all) {
      assertThat(start(r)).as("no hole before %s", r).isEqualTo(expectedStart);
      assertThat(cache.getRegion(r.id())).isSameAs(r);
      expectedStart = end(r);
    }
    assertThat(expectedStart).isEqualTo(KEY_SPACE);
    assertThat(storeChecks.get()).isGreaterThan(0);
    assertThat(StoreIndexOracle.check(cache, Set.of(1L, 2L, 3L), true))
        .as("per-store indexes and size sums once quiet").isEmpty();
  }

  /** While everything runs: freeze structure and check the per-store id sets and counts. */
  private void storeIndexChecks() {
    while (!structuralDone.get()) {
      List<String> problems =
          cache.frozen(() -> StoreIndexOracle.check(cache, Set.of(1L, 2L, 3L), false));
      if (!problems.isEmpty()) {
        failures.add("store indexes diverged: " + problems);
        return;
      }
      storeChecks.incrementAndGet();
      Thread.yield();
    }
  }

  private void guarded(CountDownLatch go, Runnable body) {
    try {
      go.await();
      body.run();
    } catch (Throwable t) {
      failures.add(Thread.currentThread().getName() + ": " + t);
    }
  }

  /** The only structural writer: its heartbeats are never stale. */
  private void splitAndMerge() {
    Random rnd = new Random(42);
    long nextId = 1000;
    try {
      for (int i = 0; i < STRUCTURAL_CHANGES; i++) {
        List<RegionInfo> all = cache.all();
        RegionInfo r = all.get(rnd.nextInt(all.size()));
        if (i % 3 == 2 && !r.endKey().isEmpty()) {
          merge(r, cache.getRegionByKey(r.endKey()));
        } else if (end(r) - start(r) >= 2) {
          split(r, nextId++, rnd.nextBoolean());
        }
      }
    } finally {
      structuralDone.set(true);
    }
  }

  private void split(RegionInfo r, long newId, boolean leftFirst) {
    ByteString mid = enc((start(r) + end(r)) / 2);
    long ver = r.version() + 1;
    Hb left = Hb.of(newId, r.startKey(), mid).ver(ver).leader(1 + newId % 3);
    Hb right = Hb.of(r.id(), mid, r.endKey()).ver(ver).leader(1 + (newId + 1) % 3);
    for (Hb hb : leftFirst ? List.of(left, right) : List.of(right, left)) {
      expectAccepted(cache.handleHeartbeat(hb.info()), "split " + hb);
    }
    splits++;
  }

  private void merge(RegionInfo target, RegionInfo source) {
    long ver = Math.max(target.version(), source.version()) + 1;
    Hb merged = Hb.of(target.id(), target.startKey(), source.endKey()).ver(ver);
    HeartbeatResult result = cache.handleHeartbeat(merged.info());
    expectAccepted(result, "merge " + merged);
    if (result.overlaps().size() != 1 || result.overlaps().get(0).id() != source.id()) {
      failures.add("merge " + merged + " removed " + result.overlaps() + ", want " + source);
    }
    merges++;
  }

  private void expectAccepted(HeartbeatResult result, String what) {
    if (result.stale() || result.decision().statsOnly()) {
      failures.add(what + " was not applied: " + result.decision());
    }
  }

  /** Re-reports cached regions with new flows, as leaders do every minute. */
  private void statsHeartbeats(long seed) {
    Random rnd = new Random(seed);
    for (int n = 0; n < MIN_STATS_HEARTBEATS || !structuralDone.get(); n++) {
      ByteString key = enc(rnd.nextInt() & 0xffffffffL);
      List<RegionInfo> some = cache.scanRegions(key, ByteString.EMPTY, 1);
      if (some.isEmpty()) {
        continue;
      }
      RegionInfo cached = some.get(0);
      Pdpb.RegionHeartbeatRequest.Builder b =
          Pdpb.RegionHeartbeatRequest.newBuilder()
              .setRegion(cached.meta())
              .setLeader(cached.leader())
              .setBytesWritten(rnd.nextInt(1 << 20))
              .setApproximateSize((1 + rnd.nextInt(96)) * RegionInfo.MIB);
      if (rnd.nextInt(4) == 0) {
        // A pending peer set or moved: updates the store index without the range lock.
        b.addPendingPeers(cached.peers().get(rnd.nextInt(cached.peers().size())));
      }
      Pdpb.RegionHeartbeatRequest hb = b.build();
      HeartbeatResult result = cache.handleHeartbeat(RegionInfo.fromHeartbeat(hb));
      if (result.stale()) {
        statsStale.incrementAndGet();
        RegionInfo now = cache.getRegion(cached.id());
        if (now != null && now.version() <= cached.version() && now.sameRange(cached)) {
          failures.add("stats heartbeat rejected for no reason: " + result.decision());
        }
      } else if (result.decision().statsOnly()) {
        statsApplied.incrementAndGet();
      } else {
        failures.add("stats heartbeat changed structure: " + cached + " -> " + result.decision());
      }
    }
  }

  private void scans() {
    while (!structuralDone.get()) {
      List<RegionInfo> all = cache.scanRegions(ByteString.EMPTY, ByteString.EMPTY, 0);
      for (int i = 1; i < all.size(); i++) {
        RegionInfo prev = all.get(i - 1);
        RegionInfo next = all.get(i);
        if (prev.endKey().isEmpty() || end(prev) > start(next)) {
          failures.add("scan saw overlapping or unordered regions: " + prev + " " + next);
          return;
        }
      }
    }
  }

  private void keyLookups() {
    Random rnd = new Random(7);
    while (!structuralDone.get()) {
      ByteString key = enc(rnd.nextInt() & 0xffffffffL);
      RegionInfo r = cache.getRegionByKey(key);
      if (r != null && !r.contains(key)) {
        failures.add("getRegionByKey(" + KeyOrder.hex(key) + ") returned " + r);
        return;
      }
      RegionInfo prev = cache.getPrevRegion(key);
      if (prev != null
          && (prev.endKey().isEmpty() || KeyOrder.compare(prev.endKey(), key) > 0)) {
        failures.add("getPrevRegion(" + KeyOrder.hex(key) + ") returned " + prev);
        return;
      }
    }
  }
}
