package dev.jpd.compat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon ({@code pd-server/target/pd-server.jar} with {@code target/lib/*}) as a
 * child process on free loopback ports, the way an operator runs it. Its output goes to a file
 * that failures print.
 */
final class PdProcess implements AutoCloseable {
  final int grpcPort;
  final int httpPort;
  final Path dataDir;
  private final Process process;
  private final Path log;

  private PdProcess(int grpcPort, int httpPort, Path dataDir, Process process, Path log) {
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.dataDir = dataDir;
    this.process = process;
    this.log = log;
  }

  static PdProcess start(Path dataDir) throws IOException, InterruptedException {
    Path target = Path.of(System.getProperty("pd.server.dir", "../pd-server/target")).toAbsolutePath();
    Path jar = target.resolve("pd-server.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package pd-server first (./mvnw -B verify builds it before this module)");
    }
    int grpc = freePort();
    int http = freePort();
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(jar + java.io.File.pathSeparator + target.resolve("lib") + "/*");
    cmd.add("dev.jpd.server.Main");
    cmd.addAll(
        List.of(
            "--name", "compat",
            "--data-dir", dataDir.toString(),
            "--client-urls", "http://127.0.0.1:" + grpc,
            "--http-address", "127.0.0.1:" + http));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PdProcess pd = new PdProcess(grpc, http, dataDir, p, log);
    pd.awaitListening(Duration.ofSeconds(60));
    return pd;
  }

  private void awaitListening(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pd-server exited with " + process.exitValue() + ":\n" + output());
      }
      try (Socket s = new Socket("127.0.0.1", grpcPort)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("pd-server did not listen within " + timeout + ":\n" + output());
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }

  /** Sends SIGTERM and waits; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
