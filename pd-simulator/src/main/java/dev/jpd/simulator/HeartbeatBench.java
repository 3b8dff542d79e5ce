package dev.jpd.simulator;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Region heartbeat bench, after pd-heartbeat-bench: bootstraps a fresh PD with {@code stores}
 * stores and {@code regions} regions of {@code replicas} peers, then sends rounds of region
 * heartbeats, each region from its leader's store on that store's stream (one sender thread per
 * store, respecting gRPC flow control). Round 0 reports every region for the first time (cache
 * inserts); later rounds change the flow and size of {@code update-ratio} of the regions and
 * resend the others unchanged.
 *
 * <p>The figure is end to end: a round's clock stops when the PD has applied its last heartbeat
 * on every stream. Each stream's last region in a round is a sentinel whose conf_ver moves by one
 * per round; the PD applies a stream's heartbeats in order, so once GetRegionByID shows the new
 * conf_ver of every sentinel, the whole round has been applied.
 */
final class HeartbeatBench {
  private HeartbeatBench() {}

  record Options(int regions, int stores, int replicas, int rounds, double updateRatio) {
    static Options from(Flags f) {
      Options o = new Options((int) f.getLong("regions", 1_000_000, 1), (int) f.getLong("stores", 20, 1),
          (int) f.getLong("replicas", 3, 1), (int) f.getLong("rounds", 5, 1), f.getRatio("update-ratio", 0.35));
      if (o.replicas() > o.stores()) {
        throw new Flags.UsageError("--replicas " + o.replicas() + " is more than --stores " + o.stores());
      }
      return o;
    }
  }

  record Round(int round, double seconds, int heartbeats) {
    double rate() {
      return heartbeats / seconds;
    }
  }

  record Result(Options options, List<Round> rounds) {
    void print(PrintStream out) {
      out.printf("heartbeat-bench regions=%d stores=%d replicas=%d update-ratio=%.2f%n",
          options.regions(), options.stores(), options.replicas(), options.updateRatio());
      double sec = 0;
      long hb = 0;
      for (Round r : rounds) {
        out.printf("  round %d%s: %d heartbeats in %.2f s = %.0f heartbeats/s%n", r.round(),
            r.round() == 0 ? " (first report, inserts)" : "", r.heartbeats(), r.seconds(), r.rate());
        if (r.round() > 0) {
          sec += r.seconds();
          hb += r.heartbeats();
        }
      }
      if (hb > 0) {
        out.printf("  steady rounds: %.0f heartbeats/s end to end%n", hb / sec);
      }
    }
  }

  static Result run(String pdAddress, Options o, PrintStream progress) throws InterruptedException {
    try (PdClient pd = new PdClient(pdAddress)) {
      pd.connect();
      if (pd.isBootstrapped()) {
        throw new IllegalStateException("the PD's cluster is already bootstrapped: the bench needs a fresh PD");
      }
      long[] storeIds = new long[o.stores()];
      for (int i = 0; i < o.stores(); i++) {
        storeIds[i] = pd.allocId();
      }
      List<List<Metapb.Region>> byLeader = layout(pd, o, storeIds);
      List<Round> rounds = new ArrayList<>();
      ExecutorService senders = Executors.newFixedThreadPool(o.stores());
      try {
        List<StreamSender> streams = new ArrayList<>();
        for (int s = 0; s < o.stores(); s++) {
          streams.add(new StreamSender(pd, byLeader.get(s)));
        }
        Random random = new Random(7);
        for (int round = 0; round <= o.rounds(); round++) {
          for (long id : storeIds) {
            pd.storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(id).setCapacity(1L << 40)
                .setAvailable(1L << 39).setRegionCount(o.regions() * o.replicas() / o.stores()).build());
          }
          long seed = random.nextLong();
          int r = round;
          long start = System.nanoTime();
          List<Future<Integer>> sent = new ArrayList<>();
          for (StreamSender s : streams) {
            sent.add(senders.submit(() -> s.sendRound(r, o.updateRatio(), seed)));
          }
          int heartbeats = 0;
          for (Future<Integer> f : sent) {
            heartbeats += get(f);
          }
          for (StreamSender s : streams) {
            s.awaitApplied(r);
          }
          Round done = new Round(round, (System.nanoTime() - start) / 1e9, heartbeats);
          rounds.add(done);
          progress.printf("  ... round %d: %.0f heartbeats/s%n", round, done.rate());
        }
        streams.forEach(StreamSender::close);
      } finally {
        senders.shutdownNow();
        senders.awaitTermination(10, TimeUnit.SECONDS);
      }
      return new Result(o, rounds);
    }
  }

  private static int get(Future<Integer> f) throws InterruptedException {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("sending heartbeats failed: " + e.getCause(), e.getCause());
    }
  }

  /** Bootstraps with the first region, then lays out the rest; returns regions per leader store. */
  private static List<List<Metapb.Region>> layout(PdClient pd, Options o, long[] storeIds) {
    int idsPerRegion = 1 + o.replicas();
    long nextId = 0;
    long lastId = -1;
    List<List<Metapb.Region>> byLeader = new ArrayList<>();
    for (int s = 0; s < o.stores(); s++) {
      byLeader.add(new ArrayList<>());
    }
    List<ByteString> cuts = Keys.cuts(ByteString.EMPTY, ByteString.EMPTY, o.regions() - 1);
    for (int i = 0; i < o.regions(); i++) {
      if (nextId > lastId) {
        int batch = (int) Math.min(100_000L, (long) (o.regions() - i) * idsPerRegion);
        lastId = pd.allocIds(batch);
        nextId = lastId - batch + 1;
      }
      Metapb.Region.Builder b = Metapb.Region.newBuilder().setId(nextId++)
          .setStartKey(i == 0 ? ByteString.EMPTY : cuts.get(i - 1))
          .setEndKey(i == o.regions() - 1 ? ByteString.EMPTY : cuts.get(i))
          .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(o.replicas()).setVersion(2));
      for (int j = 0; j < o.replicas(); j++) {
        b.addPeers(Metapb.Peer.newBuilder().setId(nextId++).setStoreId(storeIds[(i + j) % o.stores()]));
      }
      Metapb.Region region = b.build();
      if (i == 0) {
        Metapb.Region boot = region.toBuilder().setEndKey(ByteString.EMPTY)
            .setRegionEpoch(Metapb.RegionEpoch.newBuilder().setConfVer(1).setVersion(1))
            .clearPeers().addPeers(region.getPeers(0)).build();
        pd.bootstrap(Metapb.Store.newBuilder().setId(storeIds[0]).setAddress("127.0.0.1:20160")
            .setVersion("8.5.0").build(), boot);
        for (int s = 1; s < o.stores(); s++) {
          pd.putStore(Metapb.Store.newBuilder().setId(storeIds[s]).setAddress("127.0.0.1:" + (20160 + s))
              .setVersion("8.5.0").build());
        }
      }
      byLeader.get(i % o.stores()).add(region);
    }
    return byLeader;
  }

  /** One store's stream: sends its regions in order, waiting whenever gRPC says the stream is full. */
  private static final class StreamSender {
    private final PdClient pd;
    private final List<Metapb.Region> regions;
    private final Object ready = new Object();
    private final ClientCallStreamObserver<Pdpb.RegionHeartbeatRequest> stream;
    private volatile Throwable failed;

    StreamSender(PdClient pd, List<Metapb.Region> regions) {
      this.pd = pd;
      this.regions = regions;
      ClientCallStreamObserver<Pdpb.RegionHeartbeatRequest>[] holder = newHolder();
      pd.async().regionHeartbeat(new ClientResponseObserver<Pdpb.RegionHeartbeatRequest, Pdpb.RegionHeartbeatResponse>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<Pdpb.RegionHeartbeatRequest> s) {
          holder[0] = s;
          s.setOnReadyHandler(() -> {
            synchronized (ready) {
              ready.notifyAll();
            }
          });
        }

        @Override
        public void onNext(Pdpb.RegionHeartbeatResponse value) {
          if (value.getHeader().hasError() && failed == null) {
            failed = new IllegalStateException("PD refused a heartbeat: " + value.getHeader().getError().getMessage());
          }
        }

        @Override
        public void onError(Throwable t) {
          failed = t;
          synchronized (ready) {
            ready.notifyAll();
          }
        }

        @Override
        public void onCompleted() { }
      });
      this.stream = holder[0];
    }

    @SuppressWarnings("unchecked")
    private static ClientCallStreamObserver<Pdpb.RegionHeartbeatRequest>[] newHolder() {
      return new ClientCallStreamObserver[1];
    }

    /** The sentinel's conf_ver in {@code round}: the base plus the round. */
    private Metapb.Region sentinel(int round) {
      Metapb.Region last = regions.get(regions.size() - 1);
      return last.toBuilder().setRegionEpoch(last.getRegionEpoch().toBuilder()
          .setConfVer(last.getRegionEpoch().getConfVer() + round)).build();
    }

    int sendRound(int round, double updateRatio, long seed) throws InterruptedException {
      if (regions.isEmpty()) {
        return 0;
      }
      Random random = new Random(seed ^ regions.get(0).getId());
      long now = System.currentTimeMillis() / 1000;
      for (int i = 0; i < regions.size(); i++) {
        Metapb.Region region = i == regions.size() - 1 ? sentinel(round) : regions.get(i);
        Pdpb.RegionHeartbeatRequest.Builder b = Pdpb.RegionHeartbeatRequest.newBuilder()
            .setHeader(pd.header()).setRegion(region).setLeader(region.getPeers(0)).setTerm(1)
            .setApproximateSize(96L << 20).setApproximateKeys(960_000)
            .setInterval(Pdpb.TimeInterval.newBuilder().setStartTimestamp(now - 60).setEndTimestamp(now));
        if (round > 0 && random.nextDouble() < updateRatio) {
          long w = random.nextInt(1 << 20);
          b.setBytesWritten(w).setKeysWritten(w / 64).setApproximateSize((96L << 20) + w);
        }
        synchronized (ready) {
          while (!stream.isReady() && failed == null) {
            ready.wait(100);
          }
        }
        if (failed != null) {
          throw new IllegalStateException("heartbeat stream failed: " + failed, failed);
        }
        stream.onNext(b.build());
      }
      return regions.size();
    }

    void awaitApplied(int round) throws InterruptedException {
      if (regions.isEmpty()) {
        return;
      }
      Metapb.Region want = sentinel(round);
      while (true) {
        Pdpb.GetRegionResponse r = pd.pd().getRegionByID(Pdpb.GetRegionByIDRequest.newBuilder()
            .setHeader(pd.header()).setRegionId(want.getId()).build());
        if (r.getRegion().getRegionEpoch().getConfVer() >= want.getRegionEpoch().getConfVer()) {
          return;
        }
        if (failed != null) {
          throw new IllegalStateException("heartbeat stream failed: " + failed, failed);
        }
        Thread.sleep(1); // polling the PD: there is no reply to a heartbeat to wait on
      }
    }

    void close() {
      stream.onCompleted();
    }
  }
}
