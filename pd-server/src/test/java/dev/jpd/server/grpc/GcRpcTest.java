package dev.jpd.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.TestPd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GcRpcTest {
  @TempDir Path dir;
  TestPd pd;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void gcSafePointOnlyAdvancesAndSurvivesARestart() {
    assertThat(get()).isZero();
    assertThat(update(100)).isEqualTo(100);
    assertThat(update(50)).isEqualTo(100);
    assertThat(get()).isEqualTo(100);
    pd.restart();
    assertThat(get()).isEqualTo(100);
  }

  @Test
  void serviceSafePointsAnswerTheMinimumAcrossLiveServices() {
    // gc_worker holds 0 until TiDB's GC worker moves it: the minimum starts there.
    Pdpb.UpdateServiceGCSafePointResponse r = service("br", 600, 100);
    assertThat(r.getServiceId().toStringUtf8()).isEqualTo("gc_worker");
    assertThat(r.getMinSafePoint()).isZero();
    service("gc_worker", Long.MAX_VALUE, 300);
    r = service("cdc", 600, 200);
    assertThat(r.getServiceId().toStringUtf8()).isEqualTo("br");
    assertThat(r.getMinSafePoint()).isEqualTo(100);
    assertThat(r.getTTL()).isBetween(590L, 600L);
    // below the minimum: refused, the minimum answered unchanged
    r = service("lightning", 600, 50);
    assertThat(r.getServiceId().toStringUtf8()).isEqualTo("br");
    // TTL <= 0 removes the service; the next minimum is cdc's
    r = service("br", 0, 0);
    assertThat(r.getServiceId().toStringUtf8()).isEqualTo("cdc");
    assertThat(r.getMinSafePoint()).isEqualTo(200);
  }

  @Test
  void gcWorkerNeedsAnInfiniteTtl() {
    Pdpb.UpdateServiceGCSafePointResponse r = service("gc_worker", 60, 10);
    assertThat(r.getHeader().getError().getMessage()).contains("must be infinity");
  }

  @Test
  void minResolvedTsIsAcceptedFromKnownStores() {
    Pdpb.ReportMinResolvedTsResponse ok =
        pd.pd().reportMinResolvedTS(
                Pdpb.ReportMinResolvedTsRequest.newBuilder().setHeader(pd.header()).setStoreId(1).setMinResolvedTs(42).build());
    assertThat(ok.getHeader().hasError()).isFalse();
    Pdpb.ReportMinResolvedTsResponse unknown =
        pd.pd().reportMinResolvedTS(
                Pdpb.ReportMinResolvedTsRequest.newBuilder().setHeader(pd.header()).setStoreId(9).setMinResolvedTs(42).build());
    assertThat(unknown.getHeader().getError().getMessage()).contains("store 9 not found");
  }

  private long get() {
    return pd.pd().getGCSafePoint(Pdpb.GetGCSafePointRequest.newBuilder().setHeader(pd.header()).build()).getSafePoint();
  }

  private long update(long sp) {
    return pd.pd()
        .updateGCSafePoint(Pdpb.UpdateGCSafePointRequest.newBuilder().setHeader(pd.header()).setSafePoint(sp).build())
        .getNewSafePoint();
  }

  private Pdpb.UpdateServiceGCSafePointResponse service(String id, long ttl, long sp) {
    return pd.pd()
        .updateServiceGCSafePoint(
            Pdpb.UpdateServiceGCSafePointRequest.newBuilder()
                .setHeader(pd.header())
                .setServiceId(ByteString.copyFromUtf8(id))
                .setTTL(ttl)
                .setSafePoint(sp)
                .build());
  }
}
