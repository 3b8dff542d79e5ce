package dev.jpd.server.grpc;

import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.PDGrpc;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.MinResolvedTs;
import dev.jpd.server.cluster.PdException;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.cluster.Splits;
import dev.jpd.server.gc.GcSafePoints;
import dev.jpd.server.id.IdAllocator;
import dev.jpd.server.tso.TsoAllocator;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pdpb.PD} over gRPC. Each RPC checks the cluster id (but GetMembers and GetClusterInfo),
 * then whether the cluster must be bootstrapped, then delegates to the cluster, the allocators or
 * the GC safe points. A refused request answers with PD's error header (type and a message naming
 * the problem) and changes nothing. RPCs not overridden here answer UNIMPLEMENTED naming the
 * method (grpc-java's default for the generated base class).
 */
public final class PdGrpcService extends PDGrpc.PDImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(PdGrpcService.class);

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

  public PdGrpcService(
      RaftCluster cluster,
      IdAllocator ids,
      TsoAllocator tso,
      GcSafePoints gc,
      MinResolvedTs minResolvedTs,
      Supplier<Pdpb.Member> self,
      IntSupplier maxReplicas,
      HeartbeatStreams streams,
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
    this.heartbeats = new RegionHeartbeatHandler(cluster, headers, streams, metrics);
  }

  // ---- membership and cluster ----

  @Override
  public void getMembers(Pdpb.GetMembersRequest req, StreamObserver<Pdpb.GetMembersResponse> out) {
    if (self.get() == null) {
      out.onError(Status.UNAVAILABLE.withDescription("pd member is starting").asRuntimeException());
      return;
    }
    reply(
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
    reply(
        out,
        Pdpb.GetClusterInfoResponse.newBuilder()
            .setHeader(headers.ok())
            .addServiceModes(Pdpb.ServiceMode.PD_SVC_MODE)
            .build());
  }

  @Override
  public void bootstrap(Pdpb.BootstrapRequest req, StreamObserver<Pdpb.BootstrapResponse> out) {
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
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

  // ---- regions ----

  @Override
  public StreamObserver<Pdpb.RegionHeartbeatRequest> regionHeartbeat(
      StreamObserver<Pdpb.RegionHeartbeatResponse> out) {
    return heartbeats.open(out);
  }

  @Override
  public void getRegion(Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () ->
            RegionResponses.getRegion(
                headers.ok(), cluster.regions().getRegionByKey(req.getRegionKey())),
        h -> Pdpb.GetRegionResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void getPrevRegion(
      Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () ->
            RegionResponses.getRegion(
                headers.ok(), cluster.regions().getPrevRegion(req.getRegionKey())),
        h -> Pdpb.GetRegionResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void getRegionByID(
      Pdpb.GetRegionByIDRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () -> RegionResponses.getRegion(headers.ok(), cluster.regions().getRegion(req.getRegionId())),
        h -> Pdpb.GetRegionResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void scanRegions(
      Pdpb.ScanRegionsRequest req, StreamObserver<Pdpb.ScanRegionsResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () -> {
          List<RegionInfo> found =
              cluster
                  .regions()
                  .scanRegions(
                      req.getStartKey(), req.getEndKey(), req.getLimit());
          Pdpb.ScanRegionsResponse.Builder b =
              Pdpb.ScanRegionsResponse.newBuilder().setHeader(headers.ok());
          for (RegionInfo r : found) {
            // region_metas and leaders stay filled for clients that predate `regions`.
            b.addRegionMetas(r.meta());
            b.addLeaders(r.leader());
            b.addRegions(RegionResponses.region(r));
          }
          return b.build();
        },
        h -> Pdpb.ScanRegionsResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void batchScanRegions(
      Pdpb.BatchScanRegionsRequest req, StreamObserver<Pdpb.BatchScanRegionsResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () ->
            Pdpb.BatchScanRegionsResponse.newBuilder()
                .setHeader(headers.ok())
                .addAllRegions(BatchScan.scan(cluster.regions(), req))
                .build(),
        h -> Pdpb.BatchScanRegionsResponse.newBuilder().setHeader(h).build());
  }

  // ---- splits ----

  @Override
  public void askSplit(Pdpb.AskSplitRequest req, StreamObserver<Pdpb.AskSplitResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () -> {
          Pdpb.SplitID id = Splits.ask(cluster, ids, req.getRegion(), 1).get(0);
          return Pdpb.AskSplitResponse.newBuilder()
              .setHeader(headers.ok())
              .setNewRegionId(id.getNewRegionId())
              .addAllNewPeerIds(id.getNewPeerIdsList())
              .build();
        },
        h -> Pdpb.AskSplitResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void askBatchSplit(
      Pdpb.AskBatchSplitRequest req, StreamObserver<Pdpb.AskBatchSplitResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () ->
            Pdpb.AskBatchSplitResponse.newBuilder()
                .setHeader(headers.ok())
                .addAllIds(Splits.ask(cluster, ids, req.getRegion(), req.getSplitCount()))
                .build(),
        h -> Pdpb.AskBatchSplitResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void reportSplit(
      Pdpb.ReportSplitRequest req, StreamObserver<Pdpb.ReportSplitResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () -> {
          Splits.checkReported(List.of(req.getLeft(), req.getRight()));
          return Pdpb.ReportSplitResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.ReportSplitResponse.newBuilder().setHeader(h).build());
  }

  @Override
  public void reportBatchSplit(
      Pdpb.ReportBatchSplitRequest req, StreamObserver<Pdpb.ReportBatchSplitResponse> out) {
    unary(
        out,
        req.getHeader(),
        true,
        () -> {
          Splits.checkReported(req.getRegionsList());
          return Pdpb.ReportBatchSplitResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.ReportBatchSplitResponse.newBuilder().setHeader(h).build());
  }

  // ---- timestamps and GC ----

  @Override
  public StreamObserver<Pdpb.TsoRequest> tso(StreamObserver<Pdpb.TsoResponse> out) {
    return new TsoStream(tso, headers, out, metrics);
  }

  @Override
  public void getGCSafePoint(
      Pdpb.GetGCSafePointRequest req, StreamObserver<Pdpb.GetGCSafePointResponse> out) {
    unary(
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
    unary(
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
    unary(
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
    unary(
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
    unary(
        out,
        req.getHeader(),
        true,
        () -> {
          // No operator exists yet: the operator controller comes with its own issue.
          throw PdException.unknown(
              "operator not found: region " + req.getRegionId() + " has no operator");
        },
        h ->
            Pdpb.GetOperatorResponse.newBuilder()
                .setHeader(h)
                .setRegionId(req.getRegionId())
                .build());
  }

  // ---- plumbing ----

  /**
   * Runs one unary RPC: the cluster-id check (a mismatch is a gRPC FAILED_PRECONDITION, as Go PD
   * answers), the bootstrap check, then the body; a {@link PdException} becomes an error header.
   */
  private <T> void unary(
      StreamObserver<T> out,
      Pdpb.RequestHeader header,
      boolean needsBootstrap,
      Supplier<T> body,
      Function<Pdpb.ResponseHeader, T> errorResponse) {
    T response;
    try {
      headers.check(header);
      if (needsBootstrap && !cluster.isBootstrapped()) {
        throw new PdException(Pdpb.ErrorType.NOT_BOOTSTRAPPED, "cluster is not bootstrapped");
      }
      response = body.get();
    } catch (PdException e) {
      response = errorResponse.apply(headers.error(e));
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      LOG.warn("request failed: {}", e.toString(), e);
      out.onError(Status.UNKNOWN.withDescription(e.toString()).asRuntimeException());
      return;
    }
    reply(out, response);
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
