package dev.jpd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jpd.core.storage.Condition;
import dev.jpd.core.storage.KeyValue;
import dev.jpd.core.storage.MemoryMetaStore;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreException;
import dev.jpd.core.storage.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConfigStoreTest {
  static final String KEY = "/pd/7/config";
  final MemoryMetaStore meta = new MemoryMetaStore();

  @Test
  void aFailedWriteLeavesTheLiveConfigAsItWas() {
    LiveConfig live = new LiveConfig(PdConfig.defaults());
    PdConfig before = live.current();
    ConfigStore store = new ConfigStore(new FailingPuts(meta), KEY, live);
    assertThatThrownBy(() -> store.set(Map.of("max-replicas", IntNode.valueOf(5))))
        .isInstanceOf(MetaStoreException.class);
    assertThat(live.current()).isSameAs(before);
    assertThat(meta.get(KEY)).isEmpty();
  }

  @Test
  void persistedScheduleAndReplicationWinOverTheFileOtherSectionsDoNot() {
    ConfigStore store = new ConfigStore(meta, KEY, new LiveConfig(PdConfig.defaults()));
    store.set(Map.of("schedule.max-store-down-time", TextNode.valueOf("2h"),
        "location-labels", TextNode.valueOf("zone,rack")));
    PdConfig file = PdConfig.parse("""
        name = "from-file"
        [schedule]
        max-store-down-time = "10m"
        leader-schedule-limit = 9
        [replication]
        max-replicas = 5
        [pd-server]
        key-type = "raw"
        """, "pd.toml");
    PdConfig loaded = ConfigStore.loadPersisted(meta, KEY, file);
    assertThat(loaded.schedule().maxStoreDownTime()).isEqualTo(Duration.ofHours(2));
    assertThat(loaded.replication().locationLabels()).containsExactly("zone", "rack");
    // The stored sections are whole: the file's schedule and replication keys are not used.
    assertThat(loaded.schedule().leaderScheduleLimit()).isEqualTo(4);
    assertThat(loaded.replication().maxReplicas()).isEqualTo(3);
    assertThat(loaded.name()).isEqualTo("from-file");
    assertThat(loaded.pdServer().keyType()).isEqualTo("raw");
  }

  @Test
  void nothingStoredMeansTheFile() {
    PdConfig file = PdConfig.defaults();
    assertThat(ConfigStore.loadPersisted(meta, KEY, file)).isSameAs(file);
  }

  @Test
  void aBadStoredValueStopsTheStartNamingTheKey() {
    meta.put(KEY, "{\"replication\": {\"max-replicas\": 0}}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ConfigStore.loadPersisted(meta, KEY, PdConfig.defaults()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(KEY)
        .hasMessageContaining("replication.max-replicas");
    meta.put(KEY, "not json".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ConfigStore.loadPersisted(meta, KEY, PdConfig.defaults()))
        .hasMessageContaining(KEY).hasMessageContaining("not JSON");
  }

  @Test
  void pdsJsonSpellingsAreAccepted() {
    PdConfig c = ConfigStore.apply(PdConfig.defaults(), Map.<String, JsonNode>of(
        "enable-one-way-merge", TextNode.valueOf("true"),
        "replication.max-replicas", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(5.0)),
        "test");
    assertThat(c.schedule().enableOneWayMerge()).isTrue();
    assertThat(c.replication().maxReplicas()).isEqualTo(5);
    assertThatThrownBy(() -> ConfigStore.apply(PdConfig.defaults(),
            Map.of("replication.max-replicas", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(2.5)), "test"))
        .hasMessageContaining("replication.max-replicas").hasMessageContaining("2.5");
  }

  /** A store whose writes fail, as an unreachable etcd's would. */
  private record FailingPuts(MetaStore inner) implements MetaStore {
    @Override
    public Optional<byte[]> get(String key) {
      return inner.get(key);
    }

    @Override
    public List<KeyValue> scanPrefix(String prefix, int limit) {
      return inner.scanPrefix(prefix, limit);
    }

    @Override
    public void put(String key, byte[] value) {
      throw new MetaStoreException("etcd unreachable");
    }

    @Override
    public void delete(String key) {
      inner.delete(key);
    }

    @Override
    public boolean txn(List<Condition> conditions, List<Operation> operations) {
      throw new MetaStoreException("etcd unreachable");
    }

    @Override
    public void close() {}
  }
}
