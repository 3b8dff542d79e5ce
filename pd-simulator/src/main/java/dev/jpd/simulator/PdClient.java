package dev.jpd.simulator;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's side of {@code pdpb.PD}, as a TiKV store uses it: GetMembers to learn the
 * cluster id, Bootstrap, PutStore, StoreHeartbeat, AskBatchSplit/ReportBatchSplit, and one
 * RegionHeartbeat stream per store. Responses on the streams are queued for the driver thread;
 * a stream that fails is reopened on the next send.
 */
final class PdClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final PDGrpc.PDStub async;
  private final Map<Long, RegionHeartbeatStream> streams =
      new ConcurrentHashMap<>();
  final Queue<Pdpb.RegionHeartbeatResponse> responses = new ConcurrentLinkedQueue<>();
  final Queue<String> streamErrors = new ConcurrentLinkedQueue<>();
  /** Responses received on all streams so far (tests wait on it instead of sleeping). */
  final AtomicInteger received = new AtomicInteger();
  /** RegionHeartbeat streams opened so far, reopened ones included. */
  final AtomicInteger streamsOpened = new AtomicInteger();
  private long clusterId;

  PdClient(String hostPort) {
    HostAndPort hp = HostAndPort.parse(hostPort);
    channel = NettyChannelBuilder.forAddress(hp.host(), hp.port()).usePlaintext()
        .maxInboundMessageSize(256 << 20).build();
    async = PDGrpc.newStub(channel);
  }

  record HostAndPort(String host, int port) {
    static HostAndPort parse(String s) {
      String t = s.replaceFirst("^https?://", "");
      int colon = t.lastIndexOf(':');
      if (colon <= 0 || colon == t.length() - 1) {
        throw new IllegalArgumentException("bad PD address '" + s + "': want host:port, e.g. 127.0.0.1:2379");
      }
      try {
        return new HostAndPort(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad PD address '" + s + "': port is not a number");
      }
    }
  }

  PDGrpc.PDBlockingStub pd() {
    return PDGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  PDGrpc.PDStub async() {
    return async;
  }

  ManagedChannel channel() {
    return channel;
  }

  /** Learns the cluster id (GetMembers needs none), as TiKV does first. */
  long connect() {
    Pdpb.GetMembersResponse m =
        pd().getMembers(Pdpb.GetMembersRequest.newBuilder().build());
    clusterId = m.getHeader().getClusterId();
    return clusterId;
  }

  Pdpb.RequestHeader header() {
    return Pdpb.RequestHeader.newBuilder().setClusterId(clusterId).setCallerId("pd-simulator").build();
  }

  static void check(Pdpb.ResponseHeader h, String what) {
    if (h.hasError() && h.getError().getType() != Pdpb.ErrorType.OK) {
      throw new PdError(h.getError().getType(), what + ": " + h.getError().getType() + " " + h.getError().getMessage());
    }
  }

  /** A PD error header, with its type. */
  static final class PdError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Pdpb.ErrorType type;

    PdError(Pdpb.ErrorType type, String message) {
      super(message);
      this.type = type;
    }
  }

  boolean isBootstrapped() {
    Pdpb.IsBootstrappedResponse r =
        pd().isBootstrapped(Pdpb.IsBootstrappedRequest.newBuilder().setHeader(header()).build());
    check(r.getHeader(), "IsBootstrapped");
    return r.getBootstrapped();
  }

  void bootstrap(Metapb.Store store, Metapb.Region region) {
    Pdpb.BootstrapResponse r = pd().bootstrap(Pdpb.BootstrapRequest.newBuilder()
        .setHeader(header()).setStore(store).setRegion(region).build());
    check(r.getHeader(), "Bootstrap");
  }

  /** The last id of a batch of {@code count} (PD's AllocID contract). */
  long allocIds(int count) {
    Pdpb.AllocIDResponse r = pd().allocID(Pdpb.AllocIDRequest.newBuilder()
        .setHeader(header()).setCount(count).build());
    check(r.getHeader(), "AllocID");
    return r.getId();
  }

  long allocId() {
    return allocIds(1);
  }

  /** The PD's record of the store (its state: Up, Offline, Tombstone). */
  Metapb.Store getStore(long storeId) {
    Pdpb.GetStoreResponse r = pd().getStore(Pdpb.GetStoreRequest.newBuilder()
        .setHeader(header()).setStoreId(storeId).build());
    check(r.getHeader(), "GetStore " + storeId);
    return r.getStore();
  }

  void putStore(Metapb.Store store) {
    check(pd().putStore(Pdpb.PutStoreRequest.newBuilder().setHeader(header()).setStore(store).build())
        .getHeader(), "PutStore " + store.getId());
  }

  void storeHeartbeat(Pdpb.StoreStats stats) {
    check(pd().storeHeartbeat(Pdpb.StoreHeartbeatRequest.newBuilder()
        .setHeader(header()).setStats(stats).build()).getHeader(), "StoreHeartbeat " + stats.getStoreId());
  }

  List<Pdpb.SplitID> askBatchSplit(Metapb.Region region, int count) {
    Pdpb.AskBatchSplitResponse r = pd().askBatchSplit(Pdpb.AskBatchSplitRequest.newBuilder()
        .setHeader(header()).setRegion(region).setSplitCount(count)
        .setReason(Pdpb.SplitReason.SIZE).build());
    check(r.getHeader(), "AskBatchSplit");
    return r.getIdsList();
  }

  void reportBatchSplit(List<Metapb.Region> regions) {
    check(pd().reportBatchSplit(Pdpb.ReportBatchSplitRequest.newBuilder()
        .setHeader(header()).addAllRegions(regions).build()).getHeader(), "ReportBatchSplit");
  }

  /** Every region the PD knows, in key order. */
  List<Pdpb.Region> scanRegions() {
    Pdpb.ScanRegionsResponse r = pd().scanRegions(Pdpb.ScanRegionsRequest.newBuilder()
        .setHeader(header()).setLimit(0).build());
    check(r.getHeader(), "ScanRegions");
    return r.getRegionsList();
  }

  /** Sends a region heartbeat on the leader store's stream, reopening it if the PD ended it. */
  void regionHeartbeat(long storeId, Pdpb.RegionHeartbeatRequest req) {
    Pdpb.RegionHeartbeatRequest withHeader = req.toBuilder().setHeader(header()).build();
    RegionHeartbeatStream s = streams.computeIfAbsent(storeId, this::open);
    if (!s.offer(withHeader)) {
      streams.remove(storeId, s);
      streams.computeIfAbsent(storeId, this::open).offer(withHeader);
    }
  }

  private RegionHeartbeatStream open(long storeId) {
    streamsOpened.incrementAndGet();
    RegionHeartbeatStream[] self = new RegionHeartbeatStream[1];
    self[0] = new RegionHeartbeatStream(async, new RegionHeartbeatStream.Listener() {
      @Override
      public void onResponse(Pdpb.RegionHeartbeatResponse response) {
        responses.add(response);
        received.incrementAndGet();
      }

      @Override
      public void onEnd(Throwable error) {
        if (error != null) {
          streamErrors.add("store " + storeId + " heartbeat stream: " + error);
        }
        // by identity: a stream that ends late must not drop its replacement
        streams.remove(storeId, self[0]);
      }
    });
    return self[0];
  }

  void closeStream(long storeId) {
    RegionHeartbeatStream s = streams.remove(storeId);
    if (s != null) {
      s.close();
    }
  }

  @Override
  public void close() {
    for (RegionHeartbeatStream s : List.copyOf(streams.values())) {
      try {
        s.close();
      } catch (RuntimeException ignored) {
        // the stream is already broken; the channel shutdown below ends it anyway
      }
    }
    streams.clear();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
