package dev.jpd.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The daemon's logback.xml, loaded into a private logger context (not the tests' own). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogbackConfigTest {

  private static LoggerContext configure(String level) throws Exception {
    URL config = LogbackConfigTest.class.getResource("/logback.xml");
    assertThat(config).isNotNull();
    LoggerContext context = new LoggerContext();
    if (level != null) {
      context.putProperty("pd.log.level", level);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getEffectiveLevel() >= Status.WARN);
    return context;
  }

  @Test
  void levelDefaultsToInfoAndFollowsThePdLogLevelProperty() throws Exception {
    assertThat(configure(null).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.INFO);
    assertThat(configure("DEBUG").getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.DEBUG);
  }

  @Test
  void writesOneLineWithTimeLevelShortLoggerAndMessage() throws Exception {
    LoggerContext context = configure(null);
    Logger logger = context.getLogger("dev.jpd.scheduler.OperatorController");
    ConsoleAppender<?> appender =
        (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
        "add operator region-id={} kind=leader", null, new Object[] {2});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).matches("\\[\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
        + "(Z|[+-]\\d\\d:\\d\\d)\\] \\[INFO\\] \\[OperatorController\\] "
        + "add operator region-id=2 kind=leader\\R");
  }
}
