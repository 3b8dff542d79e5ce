package dev.jpd.simulator;

import dev.jpd.server.PdServer;
import dev.jpd.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** A real jpd daemon on free loopback ports with its own data dir, for the simulator to talk to. */
final class InProcessPd implements AutoCloseable {
  final PdServer server;

  InProcessPd(Path dataDir) throws IOException {
    this(dataDir, Clock.systemUTC());
  }

  /** A daemon whose timers (operator timeouts, store down time) follow {@code clock}. */
  InProcessPd(Path dataDir, Clock clock) throws IOException {
    server = PdServer.start(ServerOptions.forTest(dataDir), clock);
  }

  String address() {
    return "127.0.0.1:" + server.grpcPort();
  }

  String httpAddress() {
    return "127.0.0.1:" + server.httpPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
