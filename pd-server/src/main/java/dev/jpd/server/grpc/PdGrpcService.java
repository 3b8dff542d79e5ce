package dev.jpd.server.grpc;

import dev.jpd.core.operator.Operators;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.MinResolvedTs;
import dev.jpd.server.cluster.PdException;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.gc.GcSafePoints;
import dev.jpd.server.id.IdAllocator;
import dev.jpd.server.tso.TsoAllocator;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code pdpb.PD} over gRPC. Each RPC checks the cluster id (but GetMembers and GetClusterInfo),
 * then whether the cluster must be bootstrapped, then delegates to the cluster, the allocators or
 * the GC safe points. A refused request answers with PD's error header (type and a message naming
 * the problem) and changes nothing. RPCs not overridden here answer UNIMPLEMENTED naming the
 * method (grpc-java's default for the generated base class). Region look-ups, splits and
 * GetOperator live in {@link RegionRpcs}, the heartbeat stream in {@link RegionHeartbeatHandler},
 * the request plumbing in {@link Unary}.
 */
public final class PdGrpcService extends PDGrpc.PDImplBase {
  private final RaftCluster cluster;
  private final IdAllocator ids;
  private final TsoAllocator tso;
  private final GcSafePoints gc;
  private final MinResolvedTs minResolvedTs;
  private final Supplier<Pdpb.Member> self;
  private final IntSupplier maxReplicas;
  private final Headers headers;
  private final RegionHeartbeatHandler heartbeats;
  private final GrpcMetrics metrics;
  private final Unary unary;
  private final RegionRpcs regions;

  public PdGrpcService(
      RaftCluster cluster,
      IdAllocator ids,
      TsoAllocator tso,
      GcSafePoints gc,
      MinResolvedTs minResolvedTs,
      Supplier<Pdpb.Member> self,
      IntSupplier maxReplicas,
      HeartbeatStreams streams,
      Operators operators,
      MeterRegistry registry) {
    this.cluster = cluster;
    this.ids = ids;
    this.tso = tso;
    this.gc = gc;
    this.minResolvedTs = minResolvedTs;
    this.self = self;
    this.maxReplicas = maxReplicas;
    this.headers = new Headers(cluster.clusterId());
    this.metrics = new GrpcMetrics(registry);
    this.heartbeats = new RegionHeartbeatHandler(cluster, headers, streams, operators, metrics);
    this.unary = new Unary(headers, cluster);
    this.regions = new RegionRpcs(cluster, ids, operators, unary);
  }

  // ---- membership and cluster ----

  @Override
  public void getMembers(Pdpb.GetMembersRequest req, StreamObserver<Pdpb.GetMembersResponse> out) {
    if (self.get() == null) {
      out.onError(Status.UNAVAILABLE.withDescription("pd member is starting").asRuntimeException());
      return;
    }
    Unary.reply(
        out,
        Pdpb.GetMembersResponse.newBuilder()
            .setHeader(headers.ok())
            .addMembers(self.get())
            .setLeader(self.get())
            .setEtcdLeader(self.get())
            .build());
  }

  @Override
  public void getClusterInfo(
      Pdpb.GetClusterInfoRequest req, StreamObserver<Pdpb.GetClusterInfoResponse> out) {
    Unary.reply(
        out,
        Pdpb.GetClusterInfoResponse.newBuilder()
            .setHeader(headers.ok())
            .addServiceModes(Pdpb.ServiceMode.PD_SVC_MODE)
            .build());
  }

  @Override
  public void bootstrap(Pdpb.BootstrapRequest req, StreamObserver<Pdpb.BootstrapResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        false,
        () -> {
          cluster.bootstrap(req.getStore(), req.getRegion(), maxReplicas.getAsInt());
          return Pdpb.BootstrapResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.BootstrapResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void isBootstrapped(
      Pdpb.IsBootstrappedRequest req, StreamObserver<Pdpb.IsBootstrappedResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        false,
        () ->
            Pdpb.IsBootstrappedResponse.newBuilder()
                .setHeader(headers.ok())
                .setBootstrapped(cluster.isBootstrapped())
                .build(),
        h -> Pdpb.IsBootstrappedResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void allocID(Pdpb.AllocIDRequest req, StreamObserver<Pdpb.AllocIDResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        false,
        () -> {
          int count = Math.max(1, req.getCount());
          long last = ids.alloc(count);
          return Pdpb.AllocIDResponse.newBuilder()
              .setHeader(headers.ok())
              .setId(last)
              .setCount(count)
              .build();
        },
        h -> Pdpb.AllocIDResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void isSnapshotRecovering(
      Pdpb.IsSnapshotRecoveringRequest req,
      StreamObserver<Pdpb.IsSnapshotRecoveringResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        false,
        () ->
            Pdpb.IsSnapshotRecoveringResponse.newBuilder()
                .setHeader(headers.ok())
                .setMarked(cluster.isSnapshotRecovering())
                .build(),
        h -> Pdpb.IsSnapshotRecoveringResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void getClusterConfig(
      Pdpb.GetClusterConfigRequest req, StreamObserver<Pdpb.GetClusterConfigResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () ->
            Pdpb.GetClusterConfigResponse.newBuilder()
                .setHeader(headers.ok())
                .setCluster(cluster.clusterMeta())
                .build(),
        h -> Pdpb.GetClusterConfigResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void putClusterConfig(
      Pdpb.PutClusterConfigRequest req, StreamObserver<Pdpb.PutClusterConfigResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          cluster.putClusterMeta(req.getCluster());
          return Pdpb.PutClusterConfigResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.PutClusterConfigResponse.newBuilder().setHeader(h).build());
  }

  // ---- stores ----

  @Override
  public void putStore(Pdpb.PutStoreRequest req, StreamObserver<Pdpb.PutStoreResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          cluster.putStore(req.getStore());
          return Pdpb.PutStoreResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.PutStoreResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void getStore(Pdpb.GetStoreRequest req, StreamObserver<Pdpb.GetStoreResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          StoreInfo s =
              cluster
                  .getStore(req.getStoreId())
                  .orElseThrow(
                      () ->
                          PdException.unknown(
                              "invalid store ID " + req.getStoreId() + ", not found"));
          return Pdpb.GetStoreResponse.newBuilder()
              .setHeader(headers.ok())
              .setStore(s.meta())
              .setStats(s.stats())
              .build();
        },
        h -> Pdpb.GetStoreResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void getAllStores(
      Pdpb.GetAllStoresRequest req, StreamObserver<Pdpb.GetAllStoresResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          Pdpb.GetAllStoresResponse.Builder b =
              Pdpb.GetAllStoresResponse.newBuilder().setHeader(headers.ok());
          for (StoreInfo s : cluster.stores().all()) {
            if (req.getExcludeTombstoneStores()
                && s.meta().getState() == Metapb.StoreState.Tombstone) {
              continue;
            }
            b.addStores(s.meta());
          }
          return b.build();
        },
        h -> Pdpb.GetAllStoresResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void storeHeartbeat(
      Pdpb.StoreHeartbeatRequest req, StreamObserver<Pdpb.StoreHeartbeatResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          long start = System.nanoTime();
          StoreInfo s;
          try {
            s = cluster.storeHeartbeat(req.getStats());
          } catch (PdException e) {
            cluster
                .getStore(req.getStats().getStoreId())
                .ifPresent(old -> metrics.store(old.meta().getId(), old.meta().getAddress()).storeErr.increment());
            throw e;
          }
          GrpcMetrics.StoreMeters m = metrics.store(s.meta().getId(), s.meta().getAddress());
          GrpcMetrics.since(m.storeHandle, start);
          m.storeOk.increment();
          return Pdpb.StoreHeartbeatResponse.newBuilder()
              .setHeader(headers.ok())
              .setClusterVersion(cluster.clusterVersion())
              .setState(s.meta().getNodeState())
              .build();
        },
        h -> Pdpb.StoreHeartbeatResponse.newBuilder().setHeader(h).build());
  }

  // ---- regions and splits (RegionRpcs) ----

  @Override
  public StreamObserver<Pdpb.RegionHeartbeatRequest> regionHeartbeat(
      StreamObserver<Pdpb.RegionHeartbeatResponse> out) {
    return heartbeats.open(out);
  }

  @Override
  public void getRegion(Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    regions.getRegion(req, out);
  }

  @Override
  public void getPrevRegion(Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    regions.getPrevRegion(req, out);
  }

  @Override
  public void getRegionByID(Pdpb.GetRegionByIDRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    regions.getRegionByID(req, out);
  }

  @Override
  public void scanRegions(Pdpb.ScanRegionsRequest req, StreamObserver<Pdpb.ScanRegionsResponse> out) {
    regions.scanRegions(req, out);
  }

  @Override
  public void batchScanRegions(Pdpb.BatchScanRegionsRequest req, StreamObserver<Pdpb.BatchScanRegionsResponse> out) {
    regions.batchScanRegions(req, out);
  }

  @Override
  public void askSplit(Pdpb.AskSplitRequest req, StreamObserver<Pdpb.AskSplitResponse> out) {
    regions.askSplit(req, out);
  }

  @Override
  public void askBatchSplit(Pdpb.AskBatchSplitRequest req, StreamObserver<Pdpb.AskBatchSplitResponse> out) {
    regions.askBatchSplit(req, out);
  }

  @Override
  public void reportSplit(Pdpb.ReportSplitRequest req, StreamObserver<Pdpb.ReportSplitResponse> out) {
    regions.reportSplit(req, out);
  }

  @Override
  public void reportBatchSplit(Pdpb.ReportBatchSplitRequest req, StreamObserver<Pdpb.ReportBatchSplitResponse> out) {
    regions.reportBatchSplit(req, out);
  }

  // ---- timestamps and GC ----

  @Override
  public StreamObserver<Pdpb.TsoRequest> tso(StreamObserver<Pdpb.TsoResponse> out) {
    return new TsoStream(tso, headers, out, metrics);
  }

  @Override
  public void getGCSafePoint(
      Pdpb.GetGCSafePointRequest req, StreamObserver<Pdpb.GetGCSafePointResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () ->
            Pdpb.GetGCSafePointResponse.newBuilder()
                .setHeader(headers.ok())
                .setSafePoint(gc.gcSafePoint())
                .build(),
        h -> Pdpb.GetGCSafePointResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void updateGCSafePoint(
      Pdpb.UpdateGCSafePointRequest req, StreamObserver<Pdpb.UpdateGCSafePointResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () ->
            Pdpb.UpdateGCSafePointResponse.newBuilder()
                .setHeader(headers.ok())
                .setNewSafePoint(gc.updateGcSafePoint(req.getSafePoint()))
                .build(),
        h -> Pdpb.UpdateGCSafePointResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void updateServiceGCSafePoint(
      Pdpb.UpdateServiceGCSafePointRequest req,
      StreamObserver<Pdpb.UpdateServiceGCSafePointResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          GcSafePoints.ServiceSafePoint min;
          try {
            min =
                gc.updateServiceSafePoint(
                    req.getServiceId().toString(StandardCharsets.UTF_8),
                    req.getTTL(),
                    req.getSafePoint());
          } catch (IllegalArgumentException e) {
            throw PdException.unknown(e.getMessage());
          }
          return Pdpb.UpdateServiceGCSafePointResponse.newBuilder()
              .setHeader(headers.ok())
              .setServiceId(com.google.protobuf.ByteString.copyFromUtf8(min.serviceId()))
              .setTTL(gc.ttlOf(min))
              .setMinSafePoint(min.safePoint())
              .build();
        },
        h -> Pdpb.UpdateServiceGCSafePointResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void reportMinResolvedTS(
      Pdpb.ReportMinResolvedTsRequest req, StreamObserver<Pdpb.ReportMinResolvedTsResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          if (cluster.getStore(req.getStoreId()).isEmpty()) {
            throw PdException.unknown("store " + req.getStoreId() + " not found");
          }
          minResolvedTs.report(req.getStoreId(), req.getMinResolvedTs());
          return Pdpb.ReportMinResolvedTsResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.ReportMinResolvedTsResponse.newBuilder().setHeader(h).build());
  }

  // ---- operators ----

  @Override
  public void getOperator(
      Pdpb.GetOperatorRequest req, StreamObserver<Pdpb.GetOperatorResponse> out) {
    regions.getOperator(req, out);
  }
}
