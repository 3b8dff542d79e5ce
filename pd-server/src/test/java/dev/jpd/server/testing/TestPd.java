package dev.jpd.server.testing;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.PdServer;
import dev.jpd.server.ServerOptions;
import dev.jpd.simulator.RegionHeartbeatStream;
import dev.jpd.simulator.TikvMeta;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A real PD member on 127.0.0.1 (free ports, a data dir the test owns) and a gRPC client for it,
 * with one-line helpers for the calls a TiKV store makes; the messages and streams come from the
 * simulator's fake-store library ({@link TikvMeta}, {@link RegionHeartbeatStream}). {@link
 * #restart} closes the member and starts a new one on the same data dir; {@link #close} stops
 * both.
 */
public final class TestPd implements AutoCloseable {
  private final ServerOptions options;
  private final Clock clock;
  private PdServer server;
  private ManagedChannel channel;
  private PDGrpc.PDBlockingStub stub;
  private PDGrpc.PDStub async;

  private TestPd(ServerOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    startServer();
  }

  public static TestPd start(Path dataDir) {
    return new TestPd(ServerOptions.forTest(dataDir), Clock.systemUTC());
  }

  public static TestPd start(ServerOptions options) {
    return new TestPd(options, Clock.systemUTC());
  }

  /** A member whose PD timers (store down time, preparing time) follow {@code clock}. */
  public static TestPd start(Path dataDir, Clock clock) {
    return new TestPd(ServerOptions.forTest(dataDir), clock);
  }

  private void startServer() {
    try {
      server = PdServer.start(options, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = PDGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.HOURS);
    async = PDGrpc.newStub(channel);
  }

  public void restart() {
    stop();
    startServer();
  }

  public PdServer server() {
    return server;
  }

  /**
   * Pauses every checker for a day, for tests of admin operators on regions the checkers would
   * otherwise repair (a two-peer region gets a make-up-replica operator on its first heartbeat).
   */
  public void pauseCheckers() {
    for (String name : server.checkerChain().names()) {
      server.checkerChain().pause(name, java.time.Duration.ofDays(1));
    }
  }

  /** A blocking stub with a 10 s deadline per call. */
  public PDGrpc.PDBlockingStub pd() {
    return PDGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  public PDGrpc.PDStub async() {
    return async;
  }

  public ManagedChannel channel() {
    return channel;
  }

  public long clusterId() {
    return server.clusterId();
  }

  public Pdpb.RequestHeader header() {
    return Pdpb.RequestHeader.newBuilder().setClusterId(server.clusterId()).build();
  }

  /** Store {@code id} as a TiKV registers it ({@link TikvMeta#store(long)}). */
  public static Metapb.Store store(long id) {
    return TikvMeta.store(id);
  }

  public static Metapb.Peer peer(long id, long storeId) {
    return TikvMeta.peer(id, storeId);
  }

  /** A region over [start, end) with the given epoch and peers (first peer is usually leader). */
  public static Metapb.Region region(
      long id, String start, String end, long confVer, long version, Metapb.Peer... peers) {
    return TikvMeta.region(id, start, end, confVer, version, peers);
  }

  /** Bootstraps with store 1 and region 2 (peer 3 on store 1) over every key. */
  public void bootstrap() {
    Pdpb.BootstrapResponse r =
        pd().bootstrap(
                Pdpb.BootstrapRequest.newBuilder()
                    .setHeader(header())
                    .setStore(store(1))
                    .setRegion(region(2, "", "", 1, 1, peer(3, 1)))
                    .build());
    if (r.getHeader().hasError()) {
      throw new IllegalStateException("bootstrap failed: " + r.getHeader().getError());
    }
  }

  /**
   * {@link #bootstrap}, then stores 2 and 3 registered, and all three stores Up with a first
   * heartbeat: the usual start of a test that needs three replicas' worth of stores.
   */
  public void bootstrapThreeStores() {
    bootstrap();
    putStore(2);
    putStore(3);
    for (long s = 1; s <= 3; s++) {
      storeHeartbeat(s);
    }
  }

  /**
   * Region 2 after {@link #bootstrapThreeStores} grew it to three replicas: every key, peers 3, 4
   * and 5 on stores 1, 2 and 3 (peer 3 first, the usual leader), conf version 3.
   */
  public static Metapb.Region regionOnThreeStores() {
    return region(2, "", "", 3, 1, peer(3, 1), peer(4, 2), peer(5, 3));
  }

  public void putStore(long id) {
    Pdpb.PutStoreResponse r =
        pd().putStore(Pdpb.PutStoreRequest.newBuilder().setHeader(header()).setStore(store(id)).build());
    if (r.getHeader().hasError()) {
      throw new IllegalStateException("put store failed: " + r.getHeader().getError());
    }
  }

  /** A quiet full region's heartbeat ({@link RegionHeartbeatStream#heartbeat}) for this cluster. */
  public Pdpb.RegionHeartbeatRequest heartbeat(Metapb.Region region, Metapb.Peer leader) {
    return RegionHeartbeatStream.heartbeat(header(), region, leader);
  }

  /** Sends a store heartbeat with these stats (the store id is taken from them). */
  public void storeHeartbeat(Pdpb.StoreStats stats) {
    Pdpb.StoreHeartbeatResponse r =
        pd().storeHeartbeat(
            Pdpb.StoreHeartbeatRequest.newBuilder().setHeader(header()).setStats(stats).build());
    if (r.getHeader().hasError()) {
      throw new IllegalStateException("store heartbeat failed: " + r.getHeader().getError());
    }
  }

  public void storeHeartbeat(long storeId) {
    storeHeartbeat(Pdpb.StoreStats.newBuilder().setStoreId(storeId).build());
  }

  /** A new RegionHeartbeat stream, as one store's. */
  public RegionHeartbeatStream heartbeats() {
    return RegionHeartbeatStream.open(channel);
  }

  private void stop() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }

  @Override
  public void close() {
    stop();
  }
}
