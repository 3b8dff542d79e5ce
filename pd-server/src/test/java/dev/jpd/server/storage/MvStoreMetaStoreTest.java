package dev.jpd.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.MetaStoreContractTest;
import dev.jpd.core.storage.MetaStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MvStoreMetaStoreTest extends MetaStoreContractTest {
  @TempDir Path dir;

  @Override
  protected MetaStore newStore() {
    return MvStoreMetaStore.open(dir);
  }

  @Override
  protected MetaStore reopen() {
    return MvStoreMetaStore.open(dir);
  }

  @Test
  void livesInMetaMvDbUnderTheDataDir() {
    store.put("/pd/cluster_id", bytes("x"));

    assertThat(((MvStoreMetaStore) store).file()).isEqualTo(dir.resolve("meta.mv.db"));
    assertThat(dir.resolve("meta.mv.db")).isRegularFile();
  }

  @Test
  void createsMissingDataDir() {
    Path nested = dir.resolve("a/b/c");
    try (MvStoreMetaStore other = MvStoreMetaStore.open(nested)) {
      other.put("/k", bytes("v"));
    }
    assertThat(Files.isRegularFile(nested.resolve(MvStoreMetaStore.FILE_NAME))).isTrue();
  }

  @Test
  void secondOpenOfTheSameFileFailsNamingIt() {
    assertThatThrownBy(() -> MvStoreMetaStore.open(dir))
        .isInstanceOf(MetaStoreException.class)
        .hasMessageContaining(dir.resolve("meta.mv.db").toString());
  }
}
