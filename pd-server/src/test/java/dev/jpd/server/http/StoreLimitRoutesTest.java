package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.proto.Metapb;
import dev.jpd.server.testing.TestPd;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class StoreLimitRoutesTest {
  @TempDir Path dir;
  TestPd pd;
  ApiClient api;

  @BeforeEach
  void start() {
    pd = TestPd.start(dir);
    pd.bootstrap();
    pd.putStore(2);
    pd.putStore(3);
    api = new ApiClient(pd);
  }

  @AfterEach
  void stop() {
    pd.close();
  }

  @Test
  void everyStoreStartsAtTheDefaultLimit() throws Exception {
    JsonNode l = api.getJson("/pd/api/v1/stores/limit");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.at("/2/add-peer").asDouble()).isEqualTo(15);
    assertThat(l.at("/2/remove-peer").asDouble()).isEqualTo(15);
  }

  @Test
  void oneStoresLimitByTypeSurvivesARestart() throws Exception {
    HttpResponse<String> r = api.post("/pd/api/v1/store/2/limit", "{\"rate\": 30, \"type\": \"add-peer\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(api.getJson("/pd/api/v1/stores/limit").at("/2/add-peer").asDouble()).isEqualTo(30);
    assertThat(api.getJson("/pd/api/v1/stores/limit").at("/2/remove-peer").asDouble()).isEqualTo(15);
    assertThat(api.getJson("/pd/api/v1/stores/limit").at("/3/add-peer").asDouble()).isEqualTo(15);
    pd.restart();
    assertThat(api.getJson("/pd/api/v1/stores/limit").at("/2/add-peer").asDouble()).isEqualTo(30);
    assertThat(api.getJson("/pd/api/v1/config").at("/schedule/store-limit/2/add-peer").asDouble())
        .isEqualTo(30);
  }

  @Test
  void allStoresAndTheDefaultForNewStores() throws Exception {
    assertThat(api.post("/pd/api/v1/stores/limit", "{\"rate\": 5}").statusCode()).isEqualTo(200);
    JsonNode l = api.getJson("/pd/api/v1/stores/limit");
    for (String id : new String[] {"1", "2", "3"}) {
      assertThat(l.at("/" + id + "/add-peer").asDouble()).isEqualTo(5);
      assertThat(l.at("/" + id + "/remove-peer").asDouble()).isEqualTo(5);
    }
    pd.putStore(4);
    assertThat(api.getJson("/pd/api/v1/stores/limit").at("/4/remove-peer").asDouble()).isEqualTo(5);
  }

  @Test
  void labelsNarrowWhichStoresChange() throws Exception {
    pd.pd().putStore(
        dev.jpd.proto.Pdpb.PutStoreRequest.newBuilder()
            .setHeader(pd.header())
            .setStore(TestPd.store(3).toBuilder().addLabels(Metapb.StoreLabel.newBuilder().setKey("zone").setValue("z1")))
            .build());
    api.post("/pd/api/v1/stores/limit", "{\"rate\": 7, \"type\": \"remove-peer\", \"labels\": {\"zone\": \"z1\"}}");
    JsonNode l = api.getJson("/pd/api/v1/stores/limit");
    assertThat(l.at("/3/remove-peer").asDouble()).isEqualTo(7);
    assertThat(l.at("/2/remove-peer").asDouble()).isEqualTo(15);
    assertThat(api.getJson("/pd/api/v1/config").at("/schedule/default-store-limit/remove-peer").asDouble())
        .isEqualTo(15);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("/pd/api/v1/store/2/limit", "{}", 400, "rate unset"),
        Arguments.of("/pd/api/v1/store/2/limit", "{\"rate\": -1}", 400, "invalid rate -1"),
        Arguments.of("/pd/api/v1/store/2/limit", "{\"rate\": \"x\"}", 400, "invalid rate"),
        Arguments.of("/pd/api/v1/store/2/limit", "{\"rate\": 1, \"type\": \"both\"}", 400, "invalid type \"both\""),
        Arguments.of("/pd/api/v1/store/2/limit", "not json", 400, "not valid JSON"),
        Arguments.of("/pd/api/v1/store/9/limit", "{\"rate\": 1}", 404, "store 9 not found"),
        Arguments.of("/pd/api/v1/store/x/limit", "{\"rate\": 1}", 400, "invalid id"),
        Arguments.of("/pd/api/v1/store/2/limit?ttlSecond=60", "{\"rate\": 1}", 400, "ttlSecond"),
        Arguments.of("/pd/api/v1/stores/limit", "{\"rate\": 1, \"labels\": [1]}", 400, "invalid labels"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badRequests")
  void badInputIsRefusedAndChangesNothing(String path, String body, int status, String message)
      throws Exception {
    JsonNode before = api.getJson("/pd/api/v1/stores/limit");
    HttpResponse<String> r = api.post(path, body);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(ApiClient.message(r)).contains(message);
    assertThat(api.getJson("/pd/api/v1/stores/limit")).isEqualTo(before);
  }
}
