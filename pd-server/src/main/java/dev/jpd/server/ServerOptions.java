package dev.jpd.server;

import dev.jpd.server.config.PdConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@link PdServer} needs from the configuration: a narrow view, so tests can start a server
 * without writing TOML. {@code Main} builds it from the parsed config.
 *
 * @param clientHost host the gRPC server binds (from client-urls)
 * @param clientPort port the gRPC server binds; 0 picks a free one (tests)
 * @param advertiseClientUrls what GetMembers tells clients; empty = the bound address
 * @param httpHost host of the HTTP status/API listener
 * @param httpPort its port; 0 picks a free one, -1 disables HTTP
 * @param etcdEndpoints empty = embedded store in the data dir
 * @param config the whole configuration, for the parts (schedule, replication) that change live
 */
public record ServerOptions(
    String name,
    Path dataDir,
    String clientHost,
    int clientPort,
    List<String> advertiseClientUrls,
    List<String> advertisePeerUrls,
    String httpHost,
    int httpPort,
    List<String> etcdEndpoints,
    Duration etcdTimeout,
    Duration tsoSaveInterval,
    Duration tsoUpdatePhysicalInterval,
    Duration minResolvedTsPersistenceInterval,
    int maxRequestBytes,
    PdConfig config) {

  /**
   * Defaults for a single-node server in {@code dataDir} on free loopback ports, with {@code
   * repair-warmup} off: test members are many and short-lived, and a background warm-up would
   * only compete with the tests for CPU ({@link #withConfig} turns it back on).
   */
  public static ServerOptions forTest(Path dataDir) {
    return new ServerOptions(
        "pd",
        dataDir,
        "127.0.0.1",
        0,
        List.of(),
        List.of("http://127.0.0.1:2380"),
        "127.0.0.1",
        0,
        List.of(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        150 * 1024 * 1024,
        PdConfig.parse("repair-warmup = false", "ServerOptions.forTest"));
  }

  public ServerOptions withEtcd(List<String> endpoints) {
    return new ServerOptions(
        name, dataDir, clientHost, clientPort, advertiseClientUrls, advertisePeerUrls, httpHost,
        httpPort, endpoints, etcdTimeout, tsoSaveInterval, tsoUpdatePhysicalInterval,
        minResolvedTsPersistenceInterval, maxRequestBytes, config);
  }

  public ServerOptions withConfig(PdConfig c) {
    return new ServerOptions(
        name, dataDir, clientHost, clientPort, advertiseClientUrls, advertisePeerUrls, httpHost,
        httpPort, etcdEndpoints, etcdTimeout, tsoSaveInterval, tsoUpdatePhysicalInterval,
        minResolvedTsPersistenceInterval, maxRequestBytes, c);
  }

  public ServerOptions withPorts(int grpcPort, int http) {
    return new ServerOptions(
        name, dataDir, clientHost, grpcPort, advertiseClientUrls, advertisePeerUrls, httpHost,
        http, etcdEndpoints, etcdTimeout, tsoSaveInterval, tsoUpdatePhysicalInterval,
        minResolvedTsPersistenceInterval, maxRequestBytes, config);
  }
}
