package dev.jpd.server.testing;

import dev.jpd.core.operator.BuilderCluster;
import dev.jpd.core.store.StoreInfo;
import dev.jpd.server.PdServer;
import java.util.function.LongSupplier;

/**
 * The operator builder's view of a test PD: its stores as cached, joint consensus on, and new
 * peer ids from the test ({@link #noNewPeers} for operators that must allocate none).
 */
public final class StoresView implements BuilderCluster {
  private final PdServer server;
  private final LongSupplier peerIds;

  public StoresView(PdServer server, LongSupplier peerIds) {
    this.server = server;
    this.peerIds = peerIds;
  }

  /** For operators that add no peer: allocating one fails the test. */
  public static StoresView noNewPeers(PdServer server) {
    return new StoresView(server, () -> {
      throw new AssertionError("a leader transfer allocates no peer");
    });
  }

  @Override
  public StoreInfo store(long storeId) {
    return server.cluster().stores().get(storeId);
  }

  @Override
  public long allocPeerId() {
    return peerIds.getAsLong();
  }

  @Override
  public boolean jointConsensus() {
    return true;
  }
}
