package dev.jpd.core.storage;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryRegionStorageTest extends RegionStorageContractTest {
  @Override
  protected RegionStorage newStorage() {
    return new MemoryRegionStorage();
  }
}
