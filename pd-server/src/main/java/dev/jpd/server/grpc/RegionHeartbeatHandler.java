package dev.jpd.server.grpc;

import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.HeartbeatResult;
import dev.jpd.core.region.HeartbeatValidation;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.PdException;
import dev.jpd.server.cluster.RaftCluster;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RegionHeartbeat stream. A heartbeat is checked in this order — cluster id, bootstrap, the
 * region's own shape ({@link HeartbeatValidation}), the reporting store — then applied to the
 * cluster. Anything refused gets an error response on the same stream (PD's error header and a
 * message naming the problem), leaves the cache untouched, and the stream stays open for the
 * next heartbeat. An accepted heartbeat binds the stream to its store and is handed to the
 * operator controller, which judges the region's operator from it and sends the current step on
 * the leader's stream (PD's {@code HandleRegionHeartbeat} + {@code Dispatch}); no other response
 * is sent.
 */
final class RegionHeartbeatHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RegionHeartbeatHandler.class);

  private final RaftCluster cluster;
  private final Headers headers;
  private final HeartbeatStreams streams;
  private final Operators operators;
  private final GrpcMetrics metrics;

  RegionHeartbeatHandler(
      RaftCluster cluster,
      Headers headers,
      HeartbeatStreams streams,
      Operators operators,
      GrpcMetrics metrics) {
    this.cluster = cluster;
    this.headers = headers;
    this.streams = streams;
    this.operators = operators;
    this.metrics = metrics;
  }

  /** What an accepted heartbeat left: the reporting store and the region as cached now. */
  private record Applied(StoreInfo store, RegionInfo region) {}

  StreamObserver<Pdpb.RegionHeartbeatRequest> open(
      StreamObserver<Pdpb.RegionHeartbeatResponse> out) {
    return new StreamObserver<>() {
      private long boundStore;

      @Override
      public void onNext(Pdpb.RegionHeartbeatRequest req) {
        long start = System.nanoTime();
        try {
          Applied applied = handle(req);
          StoreInfo store = applied.store();
          long storeId = store.meta().getId();
          GrpcMetrics.StoreMeters m = metrics.store(storeId, store.meta().getAddress());
          m.regionRecv.increment();
          if (storeId != boundStore) {
            streams.bind(storeId, out);
            boundStore = storeId;
            m.regionBind.increment();
          }
          // After the bind: a step sent now goes out on the stream this store just used, which
          // is also how a reconnected store gets the step its broken stream lost.
          dispatch(applied.region());
          GrpcMetrics.since(m.regionHandle, start);
          m.regionOk.increment();
        } catch (PdException e) {
          // Counted only when the reporting store is known, as PD does.
          cluster
              .getStore(req.getLeader().getStoreId())
              .map(s -> metrics.store(s.meta().getId(), s.meta().getAddress()))
              .ifPresent(
                  m -> {
                    m.regionRecv.increment();
                    m.regionErr.increment();
                  });
          LOG.debug("region heartbeat refused region-id={} reason={}", req.getRegion().getId(), e.getMessage());
          HeartbeatStreams.sendOn(out, errorResponse(req, e));
        }
      }

      @Override
      public void onError(Throwable t) {
        streams.unbind(out);
      }

      @Override
      public void onCompleted() {
        streams.unbind(out);
        synchronized (out) {
          out.onCompleted();
        }
      }
    };
  }

  /**
   * Hands the region to the operator controller. A failure there is logged, never thrown: the
   * heartbeat is applied already and the store's stream must stay open.
   */
  private void dispatch(RegionInfo region) {
    try {
      operators.dispatch(region, Operators.DispatchSource.HEARTBEAT);
    } catch (RuntimeException e) {
      LOG.warn("dispatch operator failed region-id={} error={}", region.id(), e.toString(), e);
    }
  }

  /** Applies one heartbeat; returns the reporting store and the cached region. */
  private Applied handle(Pdpb.RegionHeartbeatRequest req) {
    String mismatch = headers.mismatch(req.getHeader());
    if (mismatch != null) {
      throw PdException.unknown(mismatch);
    }
    if (!cluster.isBootstrapped()) {
      throw new PdException(Pdpb.ErrorType.NOT_BOOTSTRAPPED, "cluster is not bootstrapped");
    }
    Optional<String> invalid = HeartbeatValidation.validate(req);
    if (invalid.isPresent()) {
      throw PdException.unknown(invalid.get());
    }
    long storeId = req.getLeader().getStoreId();
    StoreInfo store =
        cluster
            .getStore(storeId)
            .orElseThrow(
                () -> PdException.unknown("invalid store ID " + storeId + ", not found"));
    if (store.meta().getState() == Metapb.StoreState.Tombstone) {
      throw new PdException(
          Pdpb.ErrorType.STORE_TOMBSTONE,
          "store " + storeId + " is tombstone: heartbeat of region " + req.getRegion().getId() + " ignored");
    }
    HeartbeatResult r = cluster.handleRegionHeartbeat(RegionInfo.fromHeartbeat(req));
    return new Applied(store, r.region());
  }

  private Pdpb.RegionHeartbeatResponse errorResponse(
      Pdpb.RegionHeartbeatRequest req, PdException e) {
    Pdpb.RegionHeartbeatResponse.Builder b =
        Pdpb.RegionHeartbeatResponse.newBuilder()
            .setHeader(headers.error(e))
            .setRegionId(req.getRegion().getId());
    if (req.getRegion().hasRegionEpoch()) {
      b.setRegionEpoch(req.getRegion().getRegionEpoch());
    }
    if (req.hasLeader()) {
      b.setTargetPeer(req.getLeader());
    }
    return b.build();
  }
}
