package dev.jpd.server.grpc;

import dev.jpd.proto.Pdpb;
import dev.jpd.server.cluster.PdException;
import dev.jpd.server.cluster.RaftCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every unary RPC runs: the cluster-id check (a mismatch is a gRPC FAILED_PRECONDITION, as Go
 * PD answers), the bootstrap check, then the body; a {@link PdException} becomes an error header.
 */
final class Unary {
  private static final Logger LOG = LoggerFactory.getLogger(Unary.class);

  private final Headers headers;
  private final RaftCluster cluster;

  Unary(Headers headers, RaftCluster cluster) {
    this.headers = headers;
    this.cluster = cluster;
  }

  Headers headers() {
    return headers;
  }

  <T> void run(
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

  static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
