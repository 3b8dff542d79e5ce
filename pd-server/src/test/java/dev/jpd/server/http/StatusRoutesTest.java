package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpd.server.testing.TestPd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StatusRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();
  @TempDir Path dir;
  TestPd pd;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + pd.server().httpPort() + path);
    return client.send(
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void membersAndClusterUsePdsShapes() throws Exception {
    HttpResponse<String> r = send("GET", "/pd/api/v1/members");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode m = JSON.readTree(r.body());
    assertThat(m.at("/header/cluster_id").asLong()).isEqualTo(pd.clusterId());
    assertThat(m.at("/leader/client_urls/0").asText()).endsWith(":" + pd.server().grpcPort());
    assertThat(m.at("/members").size()).isEqualTo(1);
    JsonNode c = JSON.readTree(send("GET", "/pd/api/v1/cluster").body());
    assertThat(c.get("id").asLong()).isEqualTo(pd.clusterId());
    assertThat(c.has("max_peer_count")).isFalse();
    pd.bootstrap();
    c = JSON.readTree(send("GET", "/pd/api/v1/cluster").body());
    assertThat(c.get("max_peer_count").asInt()).isEqualTo(3);
  }

  @Test
  void healthPingAndVersionAnswer() throws Exception {
    assertThat(send("GET", "/ping").statusCode()).isEqualTo(200);
    JsonNode h = JSON.readTree(send("GET", "/pd/api/v1/health").body());
    assertThat(h.get(0).get("health").asBoolean()).isTrue();
    assertThat(JSON.readTree(send("GET", "/pd/api/v1/version").body()).get("version").asText()).isNotEmpty();
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).contains("jvm_memory_used_bytes").contains("# TYPE");
  }

  @Test
  void unknownRoutesAndMethodsAreNamed() throws Exception {
    HttpResponse<String> nf = send("GET", "/pd/api/v1/nope");
    assertThat(nf.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(nf.body()).asText()).contains("no route").contains("/pd/api/v1/nope");
    HttpResponse<String> na = send("DELETE", "/pd/api/v1/members");
    assertThat(na.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(na.body()).asText()).contains("method not allowed");
  }
}
