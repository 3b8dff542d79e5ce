package dev.jpd.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.label.LabelRule;
import dev.jpd.core.label.LabelRuleException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LabelRuleJsonTest {
  static final String PD_JSON =
      "{\"id\":\"r\",\"index\":3,\"labels\":[{\"key\":\"schedule\",\"value\":\"deny\",\"ttl\":\"1h\","
          + "\"start_at\":\"Fri Jan  2 03:04:05 UTC 2026\"},{\"key\":\"a\",\"value\":\"b\"}],"
          + "\"rule_type\":\"key-range\",\"data\":[{\"start_key\":\"7480FF\",\"end_key\":\"\"}]}";

  @Test
  void readsAndWritesPdsShapeUnchanged() {
    LabelRule r = LabelRuleJson.INSTANCE.decode(PD_JSON.getBytes(StandardCharsets.UTF_8));
    assertThat(r.index()).isEqualTo(3);
    assertThat(r.labels().get(0).expireAt()).hasToString("2026-01-02T04:04:05Z");
    assertThat(new String(LabelRuleJson.INSTANCE.encode(r), StandardCharsets.UTF_8)).isEqualTo(PD_JSON);
  }

  @Test
  void unknownFieldsAreIgnoredAndWrongTypesNamed() {
    LabelRule r = LabelRuleJson.INSTANCE.decode(
        PD_JSON.replace("\"index\":3", "\"index\":3,\"extra\":true").getBytes(StandardCharsets.UTF_8));
    assertThat(r.id()).isEqualTo("r");
    assertThatThrownBy(() -> LabelRuleJson.INSTANCE.decode(
            PD_JSON.replace("\"index\":3", "\"index\":\"3\"").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(LabelRuleException.class).hasMessageContaining("index must be an integer");
    assertThatThrownBy(() -> LabelRuleJson.INSTANCE.decode(
            PD_JSON.replace("\"key\":\"a\"", "\"key\":1").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(LabelRuleException.class).hasMessageContaining("key must be a string");
    assertThatThrownBy(() -> LabelRuleJson.INSTANCE.decode("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(LabelRuleException.class).hasMessageContaining("not valid JSON");
  }
}
