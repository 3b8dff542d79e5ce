package dev.jpd.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Eraftpb.ConfChangeType;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command path end to end over real gRPC, against a small scripted PD that answers
 * heartbeats the way PD's operator steps do (add learner, wait until it is no longer pending,
 * transfer leader) and records what the simulated stores report back: the simulator's side alone,
 * whatever jpd's controller does ({@code OperatorE2eTest}, in pd-server's tests, runs jpd's own
 * operators).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandStreamTest {
  /** Adds a learner on the last store, then moves the leader to the second store. */
  static final class ScriptedPd extends PDGrpc.PDImplBase {
    final List<Pdpb.RegionHeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicLong ids = new AtomicLong(100);
    volatile long learnerStore;
    volatile long leaderTarget;

    private Pdpb.ResponseHeader ok() {
      return Pdpb.ResponseHeader.newBuilder().setClusterId(1).build();
    }

    @Override
    public void getMembers(Pdpb.GetMembersRequest r, StreamObserver<Pdpb.GetMembersResponse> o) {
      o.onNext(Pdpb.GetMembersResponse.newBuilder().setHeader(ok()).build());
      o.onCompleted();
    }

    @Override
    public void isBootstrapped(Pdpb.IsBootstrappedRequest r, StreamObserver<Pdpb.IsBootstrappedResponse> o) {
      o.onNext(Pdpb.IsBootstrappedResponse.newBuilder().setHeader(ok()).build());
      o.onCompleted();
    }

    @Override
    public void bootstrap(Pdpb.BootstrapRequest r, StreamObserver<Pdpb.BootstrapResponse> o) {
      o.onNext(Pdpb.BootstrapResponse.newBuilder().setHeader(ok()).build());
      o.onCompleted();
    }

    @Override
    public void allocID(Pdpb.AllocIDRequest r, StreamObserver<Pdpb.AllocIDResponse> o) {
      o.onNext(Pdpb.AllocIDResponse.newBuilder().setHeader(ok()).setId(ids.incrementAndGet()).build());
      o.onCompleted();
    }

    @Override
    public void putStore(Pdpb.PutStoreRequest r, StreamObserver<Pdpb.PutStoreResponse> o) {
      o.onNext(Pdpb.PutStoreResponse.newBuilder().setHeader(ok()).build());
      o.onCompleted();
    }

    @Override
    public void storeHeartbeat(Pdpb.StoreHeartbeatRequest r, StreamObserver<Pdpb.StoreHeartbeatResponse> o) {
      o.onNext(Pdpb.StoreHeartbeatResponse.newBuilder().setHeader(ok()).build());
      o.onCompleted();
    }

    @Override
    public StreamObserver<Pdpb.RegionHeartbeatRequest> regionHeartbeat(
        StreamObserver<Pdpb.RegionHeartbeatResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Pdpb.RegionHeartbeatRequest hb) {
          Pdpb.RegionHeartbeatResponse.Builder step = Pdpb.RegionHeartbeatResponse.newBuilder()
              .setHeader(ok()).setRegionId(hb.getRegion().getId())
              .setRegionEpoch(hb.getRegion().getRegionEpoch()).setTargetPeer(hb.getLeader());
          boolean hasLearner = hb.getRegion().getPeersList().stream()
              .anyMatch(p -> p.getStoreId() == learnerStore);
          boolean send = true;
          if (!hasLearner) {
            step.setChangePeer(Pdpb.ChangePeer.newBuilder().setChangeType(ConfChangeType.AddLearnerNode)
                .setPeer(Metapb.Peer.newBuilder().setId(ids.incrementAndGet()).setStoreId(learnerStore)
                    .setRole(Metapb.PeerRole.Learner)));
          } else if (hb.getPendingPeersCount() == 0 && hb.getLeader().getStoreId() != leaderTarget) {
            Metapb.Peer target = hb.getRegion().getPeersList().stream()
                .filter(p -> p.getStoreId() == leaderTarget).findFirst().orElseThrow();
            step.setTransferLeader(Pdpb.TransferLeader.newBuilder().setPeer(target));
          } else {
            send = false;
          }
          heartbeats.add(hb);
          if (send) {
            sent.incrementAndGet();
            synchronized (out) {
              out.onNext(step.build());
            }
          }
        }

        @Override
        public void onError(Throwable t) { }

        @Override
        public void onCompleted() {
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5); // polling a condition, not waiting for time to pass
    }
  }

  @Test
  void storesCarryOutStepsAndReportEachChangeAtOnce() throws Exception {
    ScriptedPd fake = new ScriptedPd();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(fake).build().start();
    SimCase c = new SimCase("scripted", "one region, 4 stores", null, SimConfig.defaults(),
        new SimCase.Layout(4, 1, 8 * SimConfig.MIB, 1000, SimCase.roundRobin(3), SimCase.noLabels()),
        (d, tick) -> { }, d -> SimCase.Verdict.notYet(""), 60_000);
    try (PdClient pd = new PdClient("127.0.0.1:" + server.getPort())) {
      Driver d = new Driver(pd, c, new SimClock(1_700_000_000_000L), 0);
      d.setup();
      List<Long> stores = List.copyOf(d.cluster.stores.keySet());
      fake.learnerStore = stores.get(3);
      fake.leaderTarget = stores.get(1);
      for (int i = 0; i < 20; i++) {
        d.tick();
        await(() -> fake.heartbeats.size() == d.heartbeatsSent, "the PD to get every heartbeat");
        await(() -> pd.received.get() == fake.sent.get(), "the stores to get every step");
      }
      SimRegion r = d.cluster.sortedRegions().get(0);
      assertThat(r.leader().getStoreId()).isEqualTo(stores.get(1));
      assertThat(r.term).isEqualTo(2);
      assertThat(r.meta.getRegionEpoch().getConfVer()).isEqualTo(4);
      assertThat(r.peerOnStore(stores.get(3)).getRole()).isEqualTo(Metapb.PeerRole.Learner);
      assertThat(d.cluster.operators).containsEntry("add-learner", 1).containsEntry("transfer-leader", 1);
      assertThat(d.cluster.peakSnapshots()).containsEntry(stores.get(3), 1).containsEntry(stores.get(0), 1);

      // What the PD saw, in order: the learner pending, then caught up, then the new leader.
      List<Pdpb.RegionHeartbeatRequest> hbs = fake.heartbeats;
      int pending = indexOf(hbs, h -> h.getPendingPeersCount() == 1
          && h.getRegion().getRegionEpoch().getConfVer() == 4);
      int caughtUp = indexOf(hbs, h -> h.getPendingPeersCount() == 0
          && h.getRegion().getRegionEpoch().getConfVer() == 4);
      int moved = indexOf(hbs, h -> h.getLeader().getStoreId() == stores.get(1) && h.getTerm() == 2);
      assertThat(pending).isNotNegative().isLessThan(caughtUp);
      assertThat(caughtUp).isLessThan(moved);
      // Each change was reported on the tick it applied, not a region-heartbeat interval later.
      assertThat(hbs).hasSizeLessThanOrEqualTo(5);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static int indexOf(List<Pdpb.RegionHeartbeatRequest> l,
      java.util.function.Predicate<Pdpb.RegionHeartbeatRequest> p) {
    for (int i = 0; i < l.size(); i++) {
      if (p.test(l.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
