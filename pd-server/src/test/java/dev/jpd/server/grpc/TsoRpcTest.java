package dev.jpd.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.TsoStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TsoRpcTest {
  @TempDir Path dir;
  TestPd pd;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  static long pack(Pdpb.Timestamp t) {
    return TsoStream.pack(t);
  }

  List<Pdpb.TsoResponse> call(Pdpb.RequestHeader header, int... counts) throws Exception {
    return TsoStream.call(pd.channel(), header, counts);
  }

  @Test
  void oneResponsePerRequestCarryingTheLastTimestampOfTheBatch() throws Exception {
    List<Pdpb.TsoResponse> r = call(pd.header(), 1, 10, 3);
    assertThat(r).hasSize(3);
    assertThat(r).extracting(Pdpb.TsoResponse::getCount).containsExactly(1, 10, 3);
    long prev = 0;
    for (Pdpb.TsoResponse x : r) {
      assertThat(x.getHeader().getClusterId()).isEqualTo(pd.clusterId());
      assertThat(x.getTimestamp().getLogical()).isLessThan(1 << 18).isGreaterThanOrEqualTo(x.getCount());
      long first = TsoStream.first(x);
      assertThat(first).isGreaterThan(prev);
      prev = pack(x.getTimestamp());
    }
    long physical = r.get(2).getTimestamp().getPhysical();
    assertThat(Math.abs(physical - System.currentTimeMillis())).isLessThan(10_000);
  }

  @Test
  void countZeroAndWrongClusterIdEndTheStreamWithAStatus() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(pd.header(), 0))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("count should be positive");
    Pdpb.RequestHeader wrong = Pdpb.RequestHeader.newBuilder().setClusterId(pd.clusterId() ^ 1).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(wrong, 1))
        .hasMessageContaining("FAILED_PRECONDITION")
        .hasMessageContaining("mismatch cluster id");
  }

  @Test
  void concurrentStreamsGetStrictlyIncreasingUniqueTimestamps() throws Exception {
    int threads = 8;
    int perThread = 2000;
    ConcurrentLinkedQueue<long[]> ranges = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(threads);
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int count = 1 + t % 4;
      new Thread(
              () -> {
                try {
                  int[] counts = new int[perThread];
                  java.util.Arrays.fill(counts, count);
                  long prev = 0;
                  for (Pdpb.TsoResponse x : call(pd.header(), counts)) {
                    long last = pack(x.getTimestamp());
                    long first = last - x.getCount() + 1;
                    if (first <= prev) {
                      throw new AssertionError("not increasing within a stream: " + first + " <= " + prev);
                    }
                    prev = last;
                    ranges.add(new long[] {first, last});
                  }
                } catch (Throwable e) {
                  errors.add(e);
                } finally {
                  done.countDown();
                }
              })
          .start();
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(errors).isEmpty();
    List<long[]> sorted = new ArrayList<>(ranges);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    assertThat(sorted).hasSize(threads * perThread);
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i)[0]).as("ranges overlap").isGreaterThan(sorted.get(i - 1)[1]);
    }
  }

  @Test
  void timestampsKeepIncreasingAcrossARestart() throws Exception {
    long before = pack(call(pd.header(), 100).get(0).getTimestamp());
    pd.restart();
    long after = pack(call(pd.header(), 1).get(0).getTimestamp());
    assertThat(after).isGreaterThan(before);
  }
}
