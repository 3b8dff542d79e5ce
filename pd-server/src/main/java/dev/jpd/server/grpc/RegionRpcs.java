package dev.jpd.server.grpc;

import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.OpKind;
import dev.jpd.core.operator.Operators;
import dev.jpd.core.region.RegionInfo;
import dev.jpd.proto.Pdpb;
import com.google.protobuf.ByteString;
import dev.jpd.server.cluster.PdException;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.cluster.Splits;
import dev.jpd.server.id.IdAllocator;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;

/**
 * The per-region RPCs of {@code pdpb.PD}: look-ups answered from the region cache, splits, and
 * GetOperator answered from the operator controller (running operators and the records kept for
 * 10 minutes after they end).
 */
final class RegionRpcs {
  private final RaftCluster cluster;
  private final IdAllocator ids;
  private final Operators operators;
  private final Headers headers;
  private final Unary unary;

  RegionRpcs(RaftCluster cluster, IdAllocator ids, Operators operators, Unary unary) {
    this.cluster = cluster;
    this.ids = ids;
    this.operators = operators;
    this.unary = unary;
    this.headers = unary.headers();
  }


  void getRegion(Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    answerRegion(out, req.getHeader(), () -> cluster.regions().getRegionByKey(req.getRegionKey()));
  }

  void getPrevRegion(
      Pdpb.GetRegionRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    answerRegion(out, req.getHeader(), () -> cluster.regions().getPrevRegion(req.getRegionKey()));
  }

  void getRegionByID(
      Pdpb.GetRegionByIDRequest req, StreamObserver<Pdpb.GetRegionResponse> out) {
    answerRegion(out, req.getHeader(), () -> cluster.regions().getRegion(req.getRegionId()));
  }

  /** The three region look-ups answer alike: the region found (or none), after bootstrap. */
  private void answerRegion(StreamObserver<Pdpb.GetRegionResponse> out,
      Pdpb.RequestHeader header, Supplier<RegionInfo> lookup) {
    unary.run(
        out,
        header,
        true,
        () -> RegionResponses.getRegion(headers.ok(), lookup.get()),
        h -> Pdpb.GetRegionResponse.newBuilder().setHeader(h).build());
  }

  void scanRegions(
      Pdpb.ScanRegionsRequest req, StreamObserver<Pdpb.ScanRegionsResponse> out) {
    unary.run(
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

  void batchScanRegions(
      Pdpb.BatchScanRegionsRequest req, StreamObserver<Pdpb.BatchScanRegionsResponse> out) {
    unary.run(
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


  void askSplit(Pdpb.AskSplitRequest req, StreamObserver<Pdpb.AskSplitResponse> out) {
    unary.run(
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

  void askBatchSplit(
      Pdpb.AskBatchSplitRequest req, StreamObserver<Pdpb.AskBatchSplitResponse> out) {
    unary.run(
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

  void reportSplit(
      Pdpb.ReportSplitRequest req, StreamObserver<Pdpb.ReportSplitResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          Splits.checkReported(List.of(req.getLeft(), req.getRight()));
          return Pdpb.ReportSplitResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.ReportSplitResponse.newBuilder().setHeader(h).build());
  }

  void reportBatchSplit(
      Pdpb.ReportBatchSplitRequest req, StreamObserver<Pdpb.ReportBatchSplitResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          Splits.checkReported(req.getRegionsList());
          return Pdpb.ReportBatchSplitResponse.newBuilder().setHeader(headers.ok()).build();
        },
        h -> Pdpb.ReportBatchSplitResponse.newBuilder().setHeader(h).build());
  }

  /**
   * The region's running operator, or the last one that ended within 10 minutes. None: PD's
   * REGION_NOT_FOUND header with "Not Found" and no region id.
   */
  void getOperator(Pdpb.GetOperatorRequest req, StreamObserver<Pdpb.GetOperatorResponse> out) {
    unary.run(
        out,
        req.getHeader(),
        true,
        () -> {
          Operator op =
              operators
                  .getWithRecord(req.getRegionId())
                  .orElseThrow(() -> new PdException(Pdpb.ErrorType.REGION_NOT_FOUND, "Not Found"));
          return Pdpb.GetOperatorResponse.newBuilder()
              .setHeader(headers.ok())
              .setRegionId(req.getRegionId())
              .setDesc(ByteString.copyFromUtf8(op.desc()))
              .setKind(ByteString.copyFromUtf8(OpKind.toString(op.kinds())))
              .setStatus(op.status().toPdpb())
              .build();
        },
        h -> Pdpb.GetOperatorResponse.newBuilder().setHeader(h).build());
  }
}
