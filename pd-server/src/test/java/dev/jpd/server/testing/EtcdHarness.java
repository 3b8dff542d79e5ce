package dev.jpd.server.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, single-member etcd for tests: the binary named by the system property {@value
 * #BINARY_PROPERTY} (surefire sets it to Debian's {@code /usr/bin/etcd}), on 127.0.0.1 with two
 * free ports and a temp data dir, stopped by pid on {@link #close()}.
 *
 * <p>Design note. Free ports come from binding port 0 and closing the socket, so another process
 * may take one before etcd binds it; a start that fails with "address already in use" is retried
 * on new ports. Readiness is etcd answering {@code GET /health} with {@code "health":"true"},
 * polled until a deadline; a start that fails or times out throws with the tail of etcd's log. A
 * JVM shutdown hook kills etcd should a test run end without {@link #close()}. A missing binary is
 * a failure, never a skip: tests that depend on etcd behaviour must not pass without etcd.
 */
public final class EtcdHarness implements AutoCloseable {
  public static final String BINARY_PROPERTY = "etcd.binary";

  private static final String DEFAULT_BINARY = "/usr/bin/etcd";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 30;

  private final Process process;
  private final Path dir;
  private final int clientPort;
  private final HttpClient http;
  private final Thread killOnExit;
  private boolean closed;

  private EtcdHarness(Process process, Path dir, int clientPort, HttpClient http) {
    this.process = process;
    this.dir = dir;
    this.clientPort = clientPort;
    this.http = http;
    this.killOnExit = new Thread(process::destroyForcibly, "etcd-harness-kill-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts etcd and waits until it is healthy. */
  public static EtcdHarness start() {
    Path binary = binary();
    Path dir;
    try {
      dir = Files.createTempDirectory("jpd-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for etcd", e);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try {
      for (int attempt = 1; ; attempt++) {
        int[] ports = freePorts(2);
        Path log = dir.resolve("etcd-" + attempt + ".log");
        Process process = launch(binary, dir.resolve("data-" + attempt), log, ports[0], ports[1]);
        String failure = awaitHealthy(process, http, ports[0]);
        if (failure == null) {
          return new EtcdHarness(process, dir, ports[0], http);
        }
        stop(process);
        String tail = tail(log);
        if (attempt < START_ATTEMPTS && tail.contains("address already in use")) {
          continue; // another process took a port between our probe and etcd's bind
        }
        throw new IllegalStateException(
            "etcd ("
                + binary
                + ") did not start: "
                + failure
                + "; last lines of its log "
                + log
                + ":\n"
                + tail);
      }
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The client URL, e.g. {@code http://127.0.0.1:41379}. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** The etcd process id. */
  public long pid() {
    return process.pid();
  }

  /** Deletes every key, so the next test starts from an empty etcd without a restart. */
  public void deleteAllKeys() {
    // etcd's JSON gateway; "AA==" is base64 of "\0": the range ["\0", "\0") means every key.
    String body = "{\"key\":\"AA==\",\"range_end\":\"AA==\"}";
    HttpResponse<String> r = post("/v3/kv/deleterange", body);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "etcd at " + endpoint() + " refused deleterange: " + r.statusCode() + " " + r.body());
    }
  }

  /** Stops etcd (SIGTERM, then SIGKILL after a grace period) and deletes its data dir. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway; etcd is already stopped
    }
    deleteTree(dir);
  }

  // ---- start and stop -----------------------------------------------------------------------

  private static Path binary() {
    String configured = System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY);
    Path binary = Path.of(configured);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no etcd binary at "
              + binary
              + " (system property "
              + BINARY_PROPERTY
              + "): tests that need a real etcd cannot run. Install it with"
              + " `apt-get install etcd-server`, or point -D"
              + BINARY_PROPERTY
              + " at an etcd 3.4+ binary.");
    }
    return binary;
  }

  private static Process launch(Path binary, Path data, Path log, int clientPort, int peerPort) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    String name = "harness";
    List<String> command =
        List.of(
            binary.toString(),
            "--name=" + name,
            "--data-dir=" + data,
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=" + name + "=" + peer,
            "--initial-cluster-state=new");
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    }
  }

  /** Null once etcd is healthy, else why it is not: exited, or still unhealthy at the deadline. */
  private static String awaitHealthy(Process process, HttpClient http, int clientPort) {
    URI health = URI.create("http://127.0.0.1:" + clientPort + "/health");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return "it exited with status " + process.exitValue();
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"health\":\"true\"")) {
          return null;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for it";
      }
      pause(Duration.ofMillis(50));
    }
    return "not healthy after " + START_TIMEOUT.toSeconds() + " s (last answer: " + last + ")";
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private HttpResponse<String> post(String path, String json) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(endpoint() + path))
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("etcd at " + endpoint() + " did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling etcd " + path, e);
    }
  }

  /** Ports free right now on the loopback address, all distinct. */
  public static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is free either way
        }
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = new String(Files.readAllBytes(log), UTF_8).lines().toList();
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete etcd's temp dir " + root, e);
    }
  }
}
