package dev.jpd.server.http;

import static dev.jpd.server.testing.TestPd.peer;
import static dev.jpd.server.testing.TestPd.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.proto.Metapb;
import dev.jpd.proto.Pdpb;
import dev.jpd.server.testing.Await;
import dev.jpd.server.testing.TestPd;
import dev.jpd.simulator.RegionHeartbeatStream;
import dev.jpd.simulator.TsoStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The operational metrics as Prometheus scrapes them from {@code /metrics}, moving with traffic. */
@Timeout(60)
class MetricsScrapeTest {
  @TempDir Path dir;
  TestPd pd;
  ApiClient api;

  static final String STORE1 = "store=\"1\"";
  static final String ADDRESS1 = "address=\"127.0.0.1:20161\"";

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    api = new ApiClient(pd);
    pd.bootstrap();
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  String scrape() throws Exception {
    return api.get("/metrics").body();
  }

  /**
   * The value of the sample {@code name{...}} whose labels contain each of {@code labels}
   * (written {@code key="value"}), or NaN when there is none.
   */
  static double sample(String scrape, String name, String... labels) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String labelPart = close < 0 ? "" : line.substring(name.length(), close + 1);
      boolean all = true;
      for (String l : labels) {
        all &= labelPart.contains(l);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  double scraped(String name, String... labels) throws Exception {
    return sample(scrape(), name, labels);
  }

  @Test
  void regionHeartbeatsMoveTheCounterAndTheHistogram() throws Exception {
    String okLabels = "status=\"ok\"";
    assertThat(scraped("pd_scheduler_region_heartbeat_total", ADDRESS1, STORE1, okLabels)).isNaN();
    Metapb.Region r = region(2, "", "", 1, 1, peer(3, 1));
    try (RegionHeartbeatStream s = pd.heartbeats()) {
      for (int i = 0; i < 3; i++) {
        s.send(pd.heartbeat(r, r.getPeers(0)));
      }
      // A stale epoch is refused: the err status moves, and an error comes back on the stream.
      s.send(pd.heartbeat(region(2, "", "", 0, 0, peer(3, 1)), peer(3, 1)));
      assertThat(s.next(Duration.ofSeconds(10))).isNotNull();
    }
    String text = scrape();
    assertThat(sample(text, "pd_scheduler_region_heartbeat_total", ADDRESS1, STORE1, "type=\"report\"", okLabels))
        .isEqualTo(3);
    assertThat(sample(text, "pd_scheduler_region_heartbeat_total", ADDRESS1, STORE1, "status=\"recv\"")).isEqualTo(4);
    assertThat(sample(text, "pd_scheduler_region_heartbeat_total", ADDRESS1, STORE1, "status=\"bind\"")).isEqualTo(1);
    assertThat(sample(text, "pd_scheduler_region_heartbeat_total", ADDRESS1, STORE1, "status=\"err\"")).isEqualTo(1);
    assertThat(sample(text, "pd_scheduler_handle_region_heartbeat_duration_seconds_count", ADDRESS1, STORE1))
        .isEqualTo(3);
    assertThat(sample(text, "pd_scheduler_handle_region_heartbeat_duration_seconds_bucket", ADDRESS1, STORE1,
        "le=\"+Inf\"")).isEqualTo(3);
    assertThat(sample(text, "pd_scheduler_handle_region_heartbeat_duration_seconds_bucket", ADDRESS1, STORE1,
        "le=\"1.0E-4\"")).isBetween(0.0, 3.0);
    assertThat(text).contains("# TYPE pd_scheduler_handle_region_heartbeat_duration_seconds histogram");
  }

  @Test
  void storeHeartbeatsMoveTheirCounterAndHistogram() throws Exception {
    for (int i = 0; i < 2; i++) {
      Pdpb.StoreHeartbeatResponse r =
          pd.pd().storeHeartbeat(Pdpb.StoreHeartbeatRequest.newBuilder()
              .setHeader(pd.header())
              .setStats(Pdpb.StoreStats.newBuilder().setStoreId(1).setCapacity(100))
              .build());
      assertThat(r.getHeader().hasError()).isFalse();
    }
    String text = scrape();
    assertThat(sample(text, "pd_server_store_heartbeat_total", ADDRESS1, STORE1, "status=\"ok\"")).isEqualTo(2);
    assertThat(sample(text, "pd_scheduler_handle_store_heartbeat_duration_seconds_count", ADDRESS1, STORE1))
        .isEqualTo(2);
  }

  @Test
  void tsoIdAndProcessMetrics() throws Exception {
    TsoStream.call(pd.channel(), pd.header(), 1, 10, 100);
    Pdpb.AllocIDResponse id =
        pd.pd().allocID(Pdpb.AllocIDRequest.newBuilder().setHeader(pd.header()).build());
    String text = scrape();
    assertThat(sample(text, "pd_server_handle_tso_duration_seconds_count")).isEqualTo(3);
    assertThat(sample(text, "pd_server_handle_tso_batch_size_sum")).isEqualTo(111);
    assertThat(sample(text, "pd_tso_events_total", "type=\"sync_ok\"")).isEqualTo(1);
    Await.until("the update loop counts save", Duration.ofSeconds(10),
        () -> {
          try {
            return scraped("pd_tso_events_total", "type=\"save\"") > 0;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    assertThat(sample(text, "pd_cluster_id", "type=\"idalloc\"")).isGreaterThanOrEqualTo(id.getId());
    assertThat(sample(text, "process_start_time_seconds")).isGreaterThan(1.0e9);
    assertThat(sample(text, "process_cpu_seconds_total")).isGreaterThan(0);
    assertThat(sample(text, "process_resident_memory_bytes")).isGreaterThan(1 << 20);
  }
}
