package dev.jpd.server.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpd.core.storage.Bytes8;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 right after a put returned loses nothing: the claim {@link MvStoreMetaStore} makes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MvStoreKillTest {
  private static final int ACKS_BEFORE_KILL = 200;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedPutSurvivesSigkill() throws Exception {
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child.err");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AckingWriter.class.getName(),
                data.toString(),
                "1000000")
            .redirectError(stderr.toFile())
            .start();
    int lastAck = -1;
    boolean done = false;
    try (BufferedReader acks =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while (lastAck < ACKS_BEFORE_KILL && (line = acks.readLine()) != null) {
        lastAck = parseAck(line, lastAck);
      }
      // SIGKILL by pid: no shutdown hook, no close, no final commit. (Process.destroyForcibly
      // would also close our end of the pipe, and the acks still in it would be lost.)
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Acks the child printed before it died are still in the pipe: they count too.
      while ((line = acks.readLine()) != null) {
        done |= line.equals("done");
        lastAck = parseAck(line, lastAck);
      }
    } finally {
      child.destroyForcibly();
    }

    assertThat(lastAck)
        .as("acks before the kill; child stderr:%n%s", Files.readString(stderr))
        .isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
    assertThat(done).as("the child must be killed mid-way, not finish").isFalse();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    try (MvStoreMetaStore reopened = MvStoreMetaStore.open(data)) {
      for (int i = 0; i <= lastAck; i++) {
        String key = AckingWriter.key(i);
        byte[] want = Bytes8.encode(i);
        assertThat(reopened.get(key))
            .as(key)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(want));
      }
    }
  }

  private static int parseAck(String line, int lastAck) {
    if (!line.startsWith("ack ")) {
      return lastAck;
    }
    int i = Integer.parseInt(line.substring(4));
    assertThat(i).as("acks arrive in order").isEqualTo(lastAck + 1);
    return i;
  }
}
