package dev.jpd.server.storage;

import dev.jpd.core.storage.MetaStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/** Opens MVStore files the same way for the meta store and the region storage. */
final class MvStores {
  private MvStores() {}

  /** Opens {@code file} (creating it and its directory) with auto-commit off: callers commit. */
  static MVStore open(Path file, String role) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new MetaStoreException("cannot create the directory of " + role + " " + file, e);
    }
    try {
      return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    } catch (RuntimeException e) {
      throw new MetaStoreException(
          "cannot open "
              + role
              + " "
              + file
              + " (is another pd-server using this data dir?): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Runs {@code change}, then commits and syncs it, so it survives a kill -9 or a power loss once
   * this returns; on failure rolls back whatever {@code change} wrote and rethrows.
   */
  static void commitDurably(MVStore store, Runnable change) {
    try {
      change.run();
      if (store.hasUnsavedChanges()) {
        store.commit();
        store.sync();
      }
    } catch (RuntimeException e) {
      try {
        if (!store.isClosed()) {
          store.rollback();
        }
      } catch (RuntimeException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }
}
