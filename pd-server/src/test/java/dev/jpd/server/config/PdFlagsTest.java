package dev.jpd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpd.server.config.PdFlags.Action;
import dev.jpd.server.config.PdFlags.Setting;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PdFlagsTest {

  @Test
  void acceptsSpaceAndEqualsFormsAndPdsSingleDash() {
    PdFlags f = PdFlags.parse("--name", "a", "--data-dir=/d", "-join", "http://x:2379",
        "-L=debug", "--log-file", "/l/pd.log", "--force-new-cluster", "--config", "pd.toml");
    assertThat(f.action()).isEqualTo(Action.RUN);
    assertThat(f.configFile()).isEqualTo(Path.of("pd.toml"));
    assertThat(f.settings()).containsExactly(
        new Setting("--name", "name", "a", false),
        new Setting("--data-dir", "data-dir", "/d", false),
        new Setting("--join", "join", "http://x:2379", false),
        new Setting("-L", "log.level", "debug", false),
        new Setting("--log-file", "log.file.filename", "/l/pd.log", false),
        new Setting("--force-new-cluster", "force-new-cluster", "true", true));
  }

  @Test
  void oursMapToOurKeys() {
    PdFlags f = PdFlags.parse("--etcd-endpoints", "http://a:2379,http://b:2379",
        "--http-address=0.0.0.0:2381", "--metrics-addr", "gw:9091");
    assertThat(f.settings()).extracting(Setting::key)
        .containsExactly("etcd-endpoints", "http-address", "metric.address");
  }

  @Test
  void actionFlags() {
    assertThat(PdFlags.parse().action()).isEqualTo(Action.RUN);
    assertThat(PdFlags.parse("--help").action()).isEqualTo(Action.HELP);
    assertThat(PdFlags.parse("-h").action()).isEqualTo(Action.HELP);
    assertThat(PdFlags.parse("--version").action()).isEqualTo(Action.VERSION);
    assertThat(PdFlags.parse("-V").action()).isEqualTo(Action.VERSION);
    assertThat(PdFlags.parse("--config-check").action()).isEqualTo(Action.CONFIG_CHECK);
    // Help wins even next to a flag that would otherwise fail later.
    assertThat(PdFlags.parse("--client-urls", "junk", "--help").action()).isEqualTo(Action.HELP);
    assertThat(PdFlags.parse("--version=false").action()).isEqualTo(Action.RUN);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--nmae x               | unknown flag --nmae; see --help",
      "-x                     | unknown flag -x; see --help",
      "--name                 | flag --name needs a value (NAME)",
      "-L                     | flag -L needs a value (LEVEL)",
      "--force-new-cluster=1  | invalid value \"1\" for flag --force-new-cluster: expected true or false",
      "pd.toml                | unexpected argument \"pd.toml\"",
  })
  void badCommandLinesAreErrorsNamingTheFlag(String args, String message) {
    assertThatThrownBy(() -> PdFlags.parse(args.split(" ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void usageListsPdAndOurFlags() {
    String usage = PdFlags.usage();
    assertThat(usage).startsWith("Usage: pd-server [flags]")
        .contains("--config FILE", "-L, --log-level LEVEL", "--client-urls URLS",
            "--advertise-client-urls", "--peer-urls", "--advertise-peer-urls",
            "--initial-cluster", "--join", "--log-file", "-V, --version", "-h, --help",
            "--etcd-endpoints URLS", "--http-address HOST:PORT", "default 127.0.0.1:2381");
  }
}
