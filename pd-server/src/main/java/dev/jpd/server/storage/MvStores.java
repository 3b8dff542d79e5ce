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
}
