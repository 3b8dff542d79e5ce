package dev.jpd.core.storage;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryMetaStoreTest extends MetaStoreContractTest {
  @Override
  protected MetaStore newStore() {
    return new MemoryMetaStore();
  }
}
