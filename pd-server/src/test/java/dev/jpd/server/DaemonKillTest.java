package dev.jpd.server;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static dev.jpd.server.testing.TestPd.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.EtcdHarness;
import dev.jpd.simulator.TsoStream;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost by kill -9: the daemon runs as a child process (Main, as
 * bin/pd-server runs it), is told things — bootstrap, stores, ids, timestamps, GC safe point —
 * then killed with SIGKILL and started again on the same data dir (or the same etcd).
 */
@Timeout(180)
class DaemonKillTest {
  @TempDir Path dir;

  @Test
  void embeddedStoreLosesNothingAcknowledged() throws Exception {
    survivesKill(List.of());
  }

  @Test
  void etcdLosesNothingAcknowledged() throws Exception {
    try (EtcdHarness etcd = EtcdHarness.start()) {
      survivesKill(List.of("--etcd-endpoints", etcd.endpoint()));
    }
  }

  private void survivesKill(List<String> extra) throws Exception {
    int port = EtcdHarness.freePorts(1)[0];
    Process first = startDaemon(port, extra, dir.resolve("first.log"));
    long lastId;
    long lastTs;
    long clusterId;
    ManagedChannel ch = channel(port);
    try {
      PDGrpc.PDBlockingStub pd = PDGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
      clusterId = pd.getMembers(Pdpb.GetMembersRequest.getDefaultInstance()).getHeader().getClusterId();
      Pdpb.RequestHeader h = Pdpb.RequestHeader.newBuilder().setClusterId(clusterId).build();
      pd.bootstrap(
          Pdpb.BootstrapRequest.newBuilder()
              .setHeader(h)
              .setStore(store(1))
              .setRegion(region(2, "", "", 1, 1, peer(3, 1)))
              .build());
      pd.putStore(Pdpb.PutStoreRequest.newBuilder().setHeader(h).setStore(store(2)).build());
      lastId = pd.allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(h).setCount(10).build()).getId();
      lastTs = tso(ch, h, 50);
      pd.updateGCSafePoint(Pdpb.UpdateGCSafePointRequest.newBuilder().setHeader(h).setSafePoint(777).build());
    } finally {
      ch.shutdownNow();
    }
    first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(137);

    Process second = startDaemon(port, extra, dir.resolve("second.log"));
    ch = channel(port);
    try {
      PDGrpc.PDBlockingStub pd = PDGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
      assertThat(pd.getMembers(Pdpb.GetMembersRequest.getDefaultInstance()).getHeader().getClusterId())
          .isEqualTo(clusterId);
      Pdpb.RequestHeader h = Pdpb.RequestHeader.newBuilder().setClusterId(clusterId).build();
      assertThat(pd.isBootstrapped(Pdpb.IsBootstrappedRequest.newBuilder().setHeader(h).build()).getBootstrapped())
          .isTrue();
      assertThat(pd.getAllStores(Pdpb.GetAllStoresRequest.newBuilder().setHeader(h).build()).getStoresList())
          .extracting(Metapb.Store::getId)
          .containsExactlyInAnyOrder(1L, 2L);
      assertThat(pd.getRegionByID(Pdpb.GetRegionByIDRequest.newBuilder().setHeader(h).setRegionId(2).build()).getRegion().getId())
          .isEqualTo(2);
      assertThat(pd.allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(h).build()).getId()).isGreaterThan(lastId);
      assertThat(tso(ch, h, 1)).isGreaterThan(lastTs);
      assertThat(pd.getGCSafePoint(Pdpb.GetGCSafePointRequest.newBuilder().setHeader(h).build()).getSafePoint())
          .isEqualTo(777);
    } finally {
      ch.shutdownNow();
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process startDaemon(int port, List<String> extra, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "--data-dir", dir.resolve("data").toString(),
            "--client-urls", "http://127.0.0.1:" + port,
            "--http-address", "127.0.0.1:" + EtcdHarness.freePorts(1)[0]));
    cmd.addAll(extra);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        throw new AssertionError("daemon exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new AssertionError("daemon did not listen:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** The packed last timestamp of one batch of {@code count}. */
  private static long tso(ManagedChannel ch, Pdpb.RequestHeader h, int count) throws Exception {
    return TsoStream.pack(TsoStream.call(ch, h, count).get(0).getTimestamp());
  }
}
