package dev.jpd.server.config;

import dev.jpd.core.time.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The daemon's configuration: PD's keys and defaults ({@code server/config/config.go} in PD),
 * read from a TOML file and overridden by command-line flags. Immutable; sections are
 * {@link ScheduleConfig}, {@link ReplicationConfig}, {@link PdServerConfig}, {@link LogConfig}
 * and {@link MetricConfig}. Components are the camel-case form of PD's keys, except
 * {@link #leaseSeconds} ({@code lease}) and {@link #pdSections}.
 *
 * <p>Three keys are ours, not PD's:
 *
 * <ul>
 *   <li>{@code etcd-endpoints} ({@code --etcd-endpoints}): etcd client URLs holding the metadata.
 *       Empty, the default, runs single-node on an embedded store in {@code data-dir}. PD embeds
 *       etcd itself; we use an external etcd or none.
 *   <li>{@code http-address} ({@code --http-address}): where the HTTP API ({@code /pd/api/v1}),
 *       {@code /metrics} and {@code /health} listen, default {@code 127.0.0.1:2381}. PD serves
 *       HTTP and gRPC on the client-urls port; we keep gRPC there and HTTP on its own port.
 *   <li>{@code repair-warmup} (default {@code true}): right after start, on a background thread
 *       (Java's lowest priority: a hint Linux JVMs ignore by default), run the checkers' repair
 *       path once on a private synthetic cluster so that the JIT has compiled it before the
 *       first store fails ({@code
 *       dev.jpd.checker.patrol.RepairWarmup}). Read at start only; PD has no such key.
 * </ul>
 *
 * <p>Unlike PD, an unknown key is an error, not a warning; {@code name} defaults to {@code pd}
 * (PD: {@code pd-<hostname>}); and out-of-range values are errors where PD sometimes clamps
 * them, except {@code tso-update-physical-interval}, clamped to 1ms..10s as PD does.
 * {@code [security]} and PD sections we do not model ({@link #PD_SECTIONS}) are accepted and kept
 * as written, not acted on.
 *
 * @param warnings what loading noticed that does not stop the daemon (deprecated keys, settings
 *     accepted but not acted on); not a setting, never written back
 */
public record PdConfig(
    String name,
    Path dataDir,
    List<String> clientUrls,
    List<String> advertiseClientUrls,
    List<String> peerUrls,
    List<String> advertisePeerUrls,
    String initialCluster,
    String initialClusterState,
    String initialClusterToken,
    String join,
    boolean forceNewCluster,
    boolean enableGrpcGateway,
    long leaseSeconds,
    Duration tsoSaveInterval,
    Duration tsoUpdatePhysicalInterval,
    long maxConcurrentTsoProxyStreamings,
    Duration tsoProxyRecvFromClientTimeout,
    long quotaBackendBytes,
    long maxRequestBytes,
    String autoCompactionMode,
    String autoCompactionRetention,
    Duration tickInterval,
    Duration electionInterval,
    boolean enablePrevote,
    Map<String, String> labels,
    String clusterVersion,
    LogConfig log,
    MetricConfig metric,
    ScheduleConfig schedule,
    ReplicationConfig replication,
    PdServerConfig pdServer,
    Map<String, Object> security,
    Map<String, Map<String, Object>> pdSections,
    List<String> etcdEndpoints,
    HostPort httpAddress,
    boolean repairWarmup,
    List<String> warnings) {

  /** PD sections accepted and kept as written but not modelled yet. */
  public static final List<String> PD_SECTIONS = List.of("label-property", "dashboard",
      "replication-mode", "keyspace", "micro-service", "controller", "metering");

  static final String DEFAULT_CLIENT_URL = "http://127.0.0.1:2379";
  static final String DEFAULT_PEER_URL = "http://127.0.0.1:2380";
  static final String DEFAULT_HTTP_ADDRESS = "127.0.0.1:2381";
  static final Duration MIN_TSO_UPDATE_PHYSICAL_INTERVAL = Duration.ofMillis(1);
  static final Duration MAX_TSO_UPDATE_PHYSICAL_INTERVAL = Duration.ofSeconds(10);
  private static final Duration DEFAULT_TSO_UPDATE_PHYSICAL_INTERVAL = Duration.ofMillis(50);
  private static final Pattern SEMVER =
      Pattern.compile("^v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");

  /** Copies the collections, so that the record stays immutable. */
  public PdConfig {
    clientUrls = List.copyOf(clientUrls);
    advertiseClientUrls = List.copyOf(advertiseClientUrls);
    peerUrls = List.copyOf(peerUrls);
    advertisePeerUrls = List.copyOf(advertisePeerUrls);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    security = Collections.unmodifiableMap(new LinkedHashMap<>(security));
    pdSections = Collections.unmodifiableMap(new LinkedHashMap<>(pdSections));
    etcdEndpoints = List.copyOf(etcdEndpoints);
    warnings = List.copyOf(warnings);
  }

  /**
   * PD's defaults, with ours for {@code etcd-endpoints}, {@code http-address} and {@code
   * repair-warmup}.
   */
  public static PdConfig defaults() {
    return ConfigLoader.read(ConfigReader.empty());
  }

  /**
   * Loads the configuration: the TOML file named by {@code --config} in {@code args}, else
   * {@code tomlOrNull}, else none; then the other flags in {@code args} on top. Action flags
   * ({@code --help}, {@code --version}, {@code --config-check}) are ignored here: parse them with
   * {@link PdFlags#parse} first.
   *
   * @throws ConfigException naming the unknown key or flag, or the key and value that are wrong
   */
  public static PdConfig load(Path tomlOrNull, String... args) {
    PdFlags flags = PdFlags.parse(args);
    Path file = flags.configFile() != null ? flags.configFile() : tomlOrNull;
    return ConfigLoader.load(file, flags.settings());
  }

  /** Loads the configuration for a parsed command line; see {@link #load(Path, String...)}. */
  public static PdConfig load(PdFlags flags) {
    return ConfigLoader.load(flags.configFile(), flags.settings());
  }

  /** Reads a TOML document given as text; errors call it {@code sourceName}. */
  public static PdConfig parse(String toml, String sourceName) {
    return ConfigLoader.parse(toml, sourceName);
  }

  /** The address gRPC binds: host and port of the first {@code client-urls} entry. */
  public HostPort clientAddress() {
    return HostPort.fromUrl(clientUrls.get(0));
  }

  /** True if no {@code etcd-endpoints} are set: metadata lives in an embedded store in data-dir. */
  public boolean usesEmbeddedStore() {
    return etcdEndpoints.isEmpty();
  }

  /** PD's {@code GET /pd/api/v1/config} shape: kebab-case keys, PD's value formats. */
  public Map<String, Object> toMap() {
    return toMap(ConfigWriter.Shape.PD_JSON);
  }

  /** {@link #toMap()} as pretty-printed JSON. */
  public String toJson() {
    return ConfigLoader.toJson(toMap());
  }

  /** This configuration as a TOML document that {@link #parse} reads back to an equal config. */
  public String toToml() {
    return ConfigLoader.toToml(toMap(ConfigWriter.Shape.TOML));
  }

  /** Reads the whole document, PD's default for every absent key, and validates it. */
  static PdConfig read(ConfigReader r) {
    String name = r.nonEmptyString("name", "pd");
    Path dataDir = Path.of(r.nonEmptyString("data-dir", "default." + name));
    List<String> clientUrls = urls(r, "client-urls", List.of(DEFAULT_CLIENT_URL));
    List<String> advertiseClientUrls = urls(r, "advertise-client-urls", clientUrls);
    List<String> peerUrls = urls(r, "peer-urls", List.of(DEFAULT_PEER_URL));
    List<String> advertisePeerUrls = urls(r, "advertise-peer-urls", peerUrls);
    String join = String.join(",", urls(r, "join", List.of()));
    String initialCluster = r.string("initial-cluster", "");
    if (!join.isEmpty() && !initialCluster.isEmpty()) {
      throw new ConfigException(r.where("initial-cluster") + " and " + r.where("join")
          + " can not both be set: initial-cluster bootstraps a new cluster, join enters one");
    }
    if (initialCluster.isEmpty() && join.isEmpty()) {
      List<String> members = new ArrayList<>();
      advertisePeerUrls.forEach(url -> members.add(name + "=" + url));
      initialCluster = String.join(",", members);
    }
    String levelFallback = deprecated(r, "log-level", "log.level", "info");
    String fileFallback = deprecated(r, "log-file", "log.file.filename", "");
    LogConfig log = LogConfig.read(r.section("log"), levelFallback, fileFallback);
    r.ignoredBool("enable-local-tso");
    PdConfig c = new PdConfig(
        name,
        dataDir,
        clientUrls,
        advertiseClientUrls,
        peerUrls,
        advertisePeerUrls,
        initialCluster,
        r.choice("initial-cluster-state", "new", "new", "existing"),
        r.nonEmptyString("initial-cluster-token", "pd-cluster"),
        join,
        r.bool("force-new-cluster", false),
        r.bool("enable-grpc-gateway", true),
        readLease(r),
        r.positiveDuration("tso-save-interval", Duration.ofSeconds(5)),
        readTsoUpdatePhysicalInterval(r),
        r.integer("max-concurrent-tso-proxy-streamings", 5000),
        r.positiveDuration("tso-proxy-recv-from-client-timeout", Duration.ofHours(1)),
        r.byteSize("quota-backend-bytes", 8L << 30),
        r.byteSize("max-request-bytes", 150L << 20),
        r.choice("auto-compaction-mode", "periodic", "periodic", "revision"),
        r.nonEmptyString("auto-compaction-retention", "1h"),
        r.positiveDuration("tick-interval", Duration.ofMillis(500)),
        r.positiveDuration("election-interval", Duration.ofSeconds(3)),
        r.bool("enable-prevote", true),
        r.stringMap("labels"),
        readClusterVersion(r),
        log,
        MetricConfig.read(r.section("metric"), name),
        ScheduleConfig.read(r.section("schedule")),
        ReplicationConfig.read(r.section("replication")),
        PdServerConfig.read(r.section("pd-server")),
        readSecurity(r),
        readPdSections(r),
        readEtcdEndpoints(r),
        readHttpAddress(r),
        r.bool("repair-warmup", true),
        r.warnings());
    c.checkListeners(r);
    c.checkLogOutsideDataDir(r);
    return c;
  }

  /** A URL list, as a TOML array or PD's comma-separated string; empty means the default. */
  private static List<String> urls(ConfigReader r, String key, List<String> defaultValue) {
    List<String> urls = r.stringList(key, defaultValue);
    if (urls.isEmpty()) {
      return defaultValue;
    }
    for (String url : urls) {
      try {
        HostPort.fromUrl(url);
      } catch (IllegalArgumentException e) {
        throw r.invalid(key, url, e.getMessage());
      }
    }
    return urls;
  }

  private static String deprecated(ConfigReader r, String key, String newKey, String fallback) {
    if (!r.has(key)) {
      return fallback;
    }
    r.warn("config key " + r.where(key) + " is deprecated; use " + newKey);
    return r.nonEmptyString(key, fallback);
  }

  private static long readLease(ConfigReader r) {
    long lease = r.integer("lease", 5);
    if (lease < 1) {
      throw r.invalid("lease", lease, "the leader lease is a whole number of seconds ≥ 1");
    }
    return lease;
  }

  private static Duration readTsoUpdatePhysicalInterval(ConfigReader r) {
    String key = "tso-update-physical-interval";
    Duration d = r.positiveDuration(key, DEFAULT_TSO_UPDATE_PHYSICAL_INTERVAL);
    Duration clamped = d.compareTo(MIN_TSO_UPDATE_PHYSICAL_INTERVAL) < 0
        ? MIN_TSO_UPDATE_PHYSICAL_INTERVAL
        : d.compareTo(MAX_TSO_UPDATE_PHYSICAL_INTERVAL) > 0 ? MAX_TSO_UPDATE_PHYSICAL_INTERVAL : d;
    if (!clamped.equals(d)) {
      r.warn(r.where(key) + ": " + GoDuration.format(d) + " is outside 1ms..10s; using "
          + GoDuration.format(clamped));
    }
    return clamped;
  }

  private static String readClusterVersion(ConfigReader r) {
    String version = r.nonEmptyString("cluster-version", "0.0.0");
    if (!SEMVER.matcher(version).matches()) {
      throw r.invalid("cluster-version", version, "expected a version like 7.5.0");
    }
    return version;
  }

  private static Map<String, Object> readSecurity(ConfigReader r) {
    Map<String, Object> security = r.opaque("security");
    for (String key : List.of("cacert-path", "cert-path", "key-path")) {
      Object value = security.get(key);
      if (value != null && !value.toString().isEmpty()) {
        r.warn(r.where("security." + key) + " is set, but jpd does not serve TLS yet: "
            + "client and peer traffic is plaintext");
        break;
      }
    }
    return security;
  }

  private static Map<String, Map<String, Object>> readPdSections(ConfigReader r) {
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    for (String section : PD_SECTIONS) {
      if (r.has(section)) {
        sections.put(section, r.opaque(section));
      }
    }
    return sections;
  }

  private static List<String> readEtcdEndpoints(ConfigReader r) {
    List<String> endpoints = new ArrayList<>();
    for (String endpoint : r.stringList("etcd-endpoints", List.of())) {
      // A bare host:port is accepted and written as the URL jetcd wants.
      String url = endpoint.contains("://") ? endpoint : "http://" + endpoint;
      try {
        HostPort.fromUrl(url);
      } catch (IllegalArgumentException e) {
        throw r.invalid("etcd-endpoints", endpoint, e.getMessage());
      }
      endpoints.add(url);
    }
    return endpoints;
  }

  private static HostPort readHttpAddress(ConfigReader r) {
    String text = r.nonEmptyString("http-address", DEFAULT_HTTP_ADDRESS);
    try {
      return HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw r.invalid("http-address", text, e.getMessage());
    }
  }

  private void checkListeners(ConfigReader r) {
    for (String url : clientUrls) {
      HostPort grpc = HostPort.fromUrl(url);
      if (grpc.port() == httpAddress.port() && (grpc.host().equals(httpAddress.host())
          || isWildcard(grpc.host()) || isWildcard(httpAddress.host()))) {
        throw r.invalid("http-address", httpAddress.toString(), "jpd serves gRPC on client-urls ("
            + url + ") and HTTP on http-address: give them different ports");
      }
    }
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  private void checkLogOutsideDataDir(ConfigReader r) {
    String file = log.file().filename();
    if (file.isEmpty()) {
      return;
    }
    Path logDir = Path.of(file).toAbsolutePath().normalize().getParent();
    Path data = dataDir.toAbsolutePath().normalize();
    if (logDir != null && logDir.startsWith(data)) {
      throw new ConfigException("log file " + file + " (" + r.path("log.file.filename")
          + ") must not be inside data-dir " + dataDir + ": keep logs out of the data directory");
    }
  }

  /** The whole configuration as a map, in {@code shape}. */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    ConfigWriter w = new ConfigWriter(shape)
        .put("name", name)
        .put("data-dir", dataDir.toString())
        .put("client-urls", String.join(",", clientUrls))
        .put("advertise-client-urls", String.join(",", advertiseClientUrls))
        .put("peer-urls", String.join(",", peerUrls))
        .put("advertise-peer-urls", String.join(",", advertisePeerUrls))
        .put("initial-cluster", initialCluster)
        .put("initial-cluster-state", initialClusterState)
        .put("initial-cluster-token", initialClusterToken)
        .put("join", join)
        .put("force-new-cluster", forceNewCluster)
        .put("enable-grpc-gateway", enableGrpcGateway)
        .put("lease", leaseSeconds)
        .duration("tso-save-interval", tsoSaveInterval)
        .duration("tso-update-physical-interval", tsoUpdatePhysicalInterval)
        .put("max-concurrent-tso-proxy-streamings", maxConcurrentTsoProxyStreamings)
        .duration("tso-proxy-recv-from-client-timeout", tsoProxyRecvFromClientTimeout)
        .byteSize("quota-backend-bytes", quotaBackendBytes)
        .put("max-request-bytes", maxRequestBytes)
        .put("auto-compaction-mode", autoCompactionMode)
        .put("auto-compaction-retention", "auto-compaction-retention-v2", autoCompactionRetention)
        .duration("tick-interval", tickInterval)
        .duration("election-interval", electionInterval)
        .put("enable-prevote", enablePrevote)
        .put("labels", labels)
        .put("cluster-version", clusterVersion)
        .put("log", log.toMap(shape))
        .put("metric", metric.toMap(shape))
        .put("schedule", schedule.toMap(shape))
        .put("replication", replication.toMap(shape))
        .put("pd-server", pdServer.toMap(shape))
        .put("security", security);
    pdSections.forEach(w::put);
    return w
        .put("etcd-endpoints", etcdEndpoints)
        .put("http-address", httpAddress.toString())
        .put("repair-warmup", repairWarmup)
        .toMap();
  }
}
