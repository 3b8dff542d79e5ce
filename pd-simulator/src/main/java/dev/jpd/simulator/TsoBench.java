package dev.jpd.simulator;

import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * TSO bench, after pd-tso-bench: {@code clients} gRPC connections, each with {@code concurrency}
 * Tso streams, each stream sending a request for {@code batch} timestamps and the next one as
 * soon as the answer arrives, for a fixed duration. Reports requests per second and latency
 * percentiles, and checks strict monotonicity across all clients: no timestamp handed out twice,
 * each stream's answers increasing, and an answer received before another request was sent is
 * below every timestamp of that request.
 */
final class TsoBench {
  private TsoBench() {}

  record Options(int clients, int concurrency, int batch, long durationMillis) {
    static Options from(Flags f) {
      return new Options((int) f.getLong("clients", 1, 1), (int) f.getLong("concurrency", 100, 1),
          (int) f.getLong("batch", 1, 1), f.getLong("duration-s", 10, 1) * 1000);
    }
  }

  record Result(Options options, long requests, long timestamps, long errors, double seconds,
      long p50Micros, long p99Micros, long p999Micros, long maxMicros, String violation) {
    boolean monotonic() {
      return violation == null && errors == 0;
    }

    void print(PrintStream out) {
      out.printf("tso-bench clients=%d concurrency=%d batch=%d duration=%.1fs%n",
          options.clients(), options.concurrency(), options.batch(), seconds);
      out.printf("  requests: %d (%.0f req/s), timestamps: %d (%.0f ts/s), errors: %d%n",
          requests, requests / seconds, timestamps, timestamps / seconds, errors);
      out.printf("  latency: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
          p50Micros / 1000.0, p99Micros / 1000.0, p999Micros / 1000.0, maxMicros / 1000.0);
      out.println("  strictly monotonic across all clients: "
          + (violation == null ? "yes" : "NO: " + violation));
    }
  }

  /** One stream's record: send time, receive time, last timestamp ({@link TsoStream#pack}). */
  private static final class Worker implements StreamObserver<Pdpb.TsoResponse> {
    long[] sent = new long[1024];
    long[] recv = new long[1024];
    long[] last = new long[1024];
    int n;
    long errors;
    StreamObserver<Pdpb.TsoRequest> requests;
    Pdpb.TsoRequest request;
    long deadline;
    final CountDownLatch done;

    Worker(CountDownLatch done) {
      this.done = done;
    }

    void send() {
      if (n == sent.length) {
        sent = Arrays.copyOf(sent, n * 2);
        recv = Arrays.copyOf(recv, n * 2);
        last = Arrays.copyOf(last, n * 2);
      }
      sent[n] = System.nanoTime();
      requests.onNext(request);
    }

    @Override
    public void onNext(Pdpb.TsoResponse r) {
      long now = System.nanoTime();
      if (r.getHeader().hasError() && r.getHeader().getError().getType() != Pdpb.ErrorType.OK) {
        errors++;
      } else {
        recv[n] = now;
        last[n] = TsoStream.pack(r.getTimestamp());
        n++;
      }
      if (now < deadline && errors == 0) {
        send();
      } else {
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {
      errors++;
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }

  static Result run(String pdAddress, Options o) throws InterruptedException {
    long clusterId;
    try (PdClient c = new PdClient(pdAddress)) {
      clusterId = c.connect();
    }
    PdClient.HostAndPort hp = PdClient.HostAndPort.parse(pdAddress);
    List<ManagedChannel> channels = new ArrayList<>();
    List<Worker> workers = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(o.clients() * o.concurrency());
    Pdpb.TsoRequest req = Pdpb.TsoRequest.newBuilder()
        .setHeader(Pdpb.RequestHeader.newBuilder().setClusterId(clusterId))
        .setCount(o.batch()).build();
    long start = System.nanoTime();
    long deadline = start + o.durationMillis() * 1_000_000;
    try {
      for (int c = 0; c < o.clients(); c++) {
        ManagedChannel ch = NettyChannelBuilder.forAddress(hp.host(), hp.port()).usePlaintext().build();
        channels.add(ch);
        PDGrpc.PDStub stub = PDGrpc.newStub(ch);
        for (int k = 0; k < o.concurrency(); k++) {
          Worker w = new Worker(done);
          w.request = req;
          w.deadline = deadline;
          workers.add(w);
          synchronized (w) {
            w.requests = stub.tso(w);
            w.send();
          }
        }
      }
      if (!done.await(o.durationMillis() + 60_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("TSO streams did not finish within 60 s after the run");
      }
    } finally {
      for (ManagedChannel ch : channels) {
        ch.shutdownNow();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return summarize(o, workers, seconds);
  }

  private static Result summarize(Options o, List<Worker> workers, double seconds) {
    int total = 0;
    long errors = 0;
    for (Worker w : workers) {
      total += w.n;
      errors += w.errors;
    }
    long[] lat = new long[total];
    long[][] events = new long[total][];
    int i = 0;
    String violation = null;
    for (Worker w : workers) {
      for (int j = 0; j < w.n; j++) {
        lat[i] = (w.recv[j] - w.sent[j]) / 1000;
        long first = w.last[j] - (o.batch() - 1);
        events[i++] = new long[] {w.sent[j], w.recv[j], first, w.last[j]};
        if (j > 0 && first <= w.last[j - 1] && violation == null) {
          violation = "a stream got " + first + " after " + w.last[j - 1];
        }
      }
    }
    if (violation == null) {
      violation = checkGlobal(events);
    }
    Arrays.sort(lat);
    return new Result(o, total, (long) total * o.batch(), errors, seconds,
        pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), lat.length == 0 ? 0 : lat[lat.length - 1],
        violation);
  }

  /** No two answers overlap, and an answer seen before a request was sent is below its answer. */
  static String checkGlobal(long[][] events) {
    long[][] byTs = events.clone();
    Arrays.sort(byTs, (a, b) -> Long.compare(a[2], b[2]));
    for (int i = 1; i < byTs.length; i++) {
      if (byTs[i][2] <= byTs[i - 1][3]) {
        return "timestamp " + byTs[i][2] + " handed out twice";
      }
    }
    long[][] byRecv = events.clone();
    Arrays.sort(byRecv, (a, b) -> Long.compare(a[1], b[1]));
    long[][] bySend = events.clone();
    Arrays.sort(bySend, (a, b) -> Long.compare(a[0], b[0]));
    long maxSeen = Long.MIN_VALUE;
    int r = 0;
    for (long[] e : bySend) {
      while (r < byRecv.length && byRecv[r][1] < e[0]) {
        maxSeen = Math.max(maxSeen, byRecv[r][3]);
        r++;
      }
      if (e[2] <= maxSeen) {
        return "timestamp " + e[2] + " requested after " + maxSeen + " had been received";
      }
    }
    return null;
  }

  private static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
