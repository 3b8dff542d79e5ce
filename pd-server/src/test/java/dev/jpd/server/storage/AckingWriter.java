package dev.jpd.server.storage;

import dev.jpd.core.storage.Bytes8;
import dev.jpd.core.storage.PdKeys;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link MvStoreKillTest}: opens a {@link MvStoreMetaStore} in {@code
 * args[0]}, puts {@code args[1]} keys one by one and prints {@code ack <i>} after each put
 * returns, then waits to be killed.
 */
final class AckingWriter {
  private AckingWriter() {}

  static String key(int i) {
    return "/kill/" + PdKeys.pad(i);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    PrintStream out = System.out;
    MvStoreMetaStore store = MvStoreMetaStore.open(dir);
    for (int i = 0; i < count; i++) {
      store.put(key(i), Bytes8.encode(i));
      out.println("ack " + i);
      out.flush();
    }
    out.println("done");
    out.flush();
    System.in.read(); // never closes the store: the parent kills this process
  }
}
