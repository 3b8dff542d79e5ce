package dev.jpd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** bin/pd-server, run from a copy of the repository layout with a stand-in java. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BinPdServerScriptTest {

  private static final Path SCRIPT =
      Path.of("").toAbsolutePath().getParent().resolve("bin/pd-server");

  @TempDir Path root;

  private record Run(long pid, int exit, String stdout, String stderr) {}

  private Run run(Path javaHome, String javaOpts, String... args) throws Exception {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(SCRIPT, bin.resolve("pd-server"));
    ProcessBuilder pb = new ProcessBuilder("bash", bin.resolve("pd-server").toString());
    pb.command().addAll(List.of(args));
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("JAVA_OPTS");
    if (javaHome != null) {
      pb.environment().put("JAVA_HOME", javaHome.toString());
    }
    if (javaOpts != null) {
      pb.environment().put("JAVA_OPTS", javaOpts);
    }
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Run(p.pid(), p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void missingJarSaysHowToBuildIt() throws Exception {
    Run r = run(null, null, "--help");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("pd-server.jar is missing")
        .contains("./mvnw -B -DskipTests package");
  }

  @Test
  void runsJavaFromJavaHomeWithOptionsClasspathMainAndArguments() throws Exception {
    Path target = Files.createDirectories(root.resolve("pd-server/target/lib"));
    Files.writeString(target.getParent().resolve("pd-server.jar"), "");
    Path javaHome = root.resolve("jdk");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    // The stand-in prints its pid, then its arguments one per line.
    writeExecutable(java, "#!/usr/bin/env bash\necho \"pid=$$\"\nprintf '%s\\n' \"$@\"\n");

    Run r = run(javaHome, "-Xmx64m -Dpd.log.level=DEBUG", "--name", "a b", "--config=x.toml");
    assertThat(r.exit()).isZero();
    Path real = root.toRealPath();
    // exec: java runs in the script's own process, so signals sent to it reach the JVM.
    assertThat(r.stdout()).isEqualTo(String.join("\n", "pid=" + r.pid(),
        "-Xmx64m", "-Dpd.log.level=DEBUG",
        "-cp", real + "/pd-server/target/pd-server.jar:" + real + "/pd-server/target/lib/*",
        "dev.jpd.server.Main", "--name", "a b", "--config=x.toml") + "\n");
  }

  @Test
  void scriptIsExecutable() {
    assertThat(Files.isExecutable(SCRIPT)).isTrue();
  }

  private static void writeExecutable(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
