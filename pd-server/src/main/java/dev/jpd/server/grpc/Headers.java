package dev.jpd.server.grpc;

import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.PdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Response headers, and the cluster-id check every request but GetMembers/GetClusterInfo passes. */
final class Headers {
  private final long clusterId;
  private final Pdpb.ResponseHeader ok;

  Headers(long clusterId) {
    this.clusterId = clusterId;
    this.ok = Pdpb.ResponseHeader.newBuilder().setClusterId(clusterId).build();
  }

  Pdpb.ResponseHeader ok() {
    return ok;
  }

  Pdpb.ResponseHeader error(Pdpb.ErrorType type, String message) {
    return Pdpb.ResponseHeader.newBuilder()
        .setClusterId(clusterId)
        .setError(Pdpb.Error.newBuilder().setType(type).setMessage(message))
        .build();
  }

  Pdpb.ResponseHeader error(PdException e) {
    return error(e.type(), e.getMessage());
  }

  /** The request's cluster id must be ours; Go PD answers a mismatch with FailedPrecondition. */
  void check(Pdpb.RequestHeader header) {
    String mismatch = mismatch(header);
    if (mismatch != null) {
      throw new StatusRuntimeException(Status.FAILED_PRECONDITION.withDescription(mismatch));
    }
  }

  /** The mismatch message, or null when the request carries our cluster id. */
  String mismatch(Pdpb.RequestHeader header) {
    if (header.getClusterId() == clusterId) {
      return null;
    }
    return "mismatch cluster id, need "
        + Long.toUnsignedString(clusterId)
        + " but got "
        + Long.toUnsignedString(header.getClusterId());
  }
}
