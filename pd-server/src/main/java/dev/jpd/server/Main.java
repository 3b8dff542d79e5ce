package dev.jpd.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.jpd.server.config.ConfigException;
import dev.jpd.server.config.PdConfig;
import dev.jpd.server.config.PdFlags;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/pd-server}: parses flags and the TOML config, starts one PD member and keeps it up
 * until SIGTERM, which stops it cleanly (gRPC drained, region metadata flushed, storage closed).
 * Exit codes: 0 for --help/--version/--config-check, 2 for a bad flag or config, 1 when the
 * member cannot start.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    PdConfig config;
    try {
      PdFlags flags = PdFlags.parse(args);
      switch (flags.action()) {
        case HELP -> {
          System.out.println(PdFlags.usage());
          return;
        }
        case VERSION -> {
          System.out.println("jpd pd-server " + PdServer.VERSION);
          return;
        }
        default -> {}
      }
      config = PdConfig.load(flags);
      if (flags.action() == PdFlags.Action.CONFIG_CHECK) {
        config.warnings().forEach(w -> System.out.println("warning: " + w));
        System.out.println("config check successful");
        return;
      }
    } catch (ConfigException e) {
      System.err.println("pd-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    configureLogging(config);
    Logger log = LoggerFactory.getLogger(Main.class);
    config.warnings().forEach(w -> log.warn("config: {}", w));
    PdServer server;
    try {
      server = PdServer.start(options(config), Clock.systemUTC());
    } catch (IOException | RuntimeException e) {
      log.error("pd server failed to start: {}", e.toString(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pd-shutdown"));
    server.awaitTermination();
  }

  /** The server's narrow view of the config. */
  static ServerOptions options(PdConfig c) {
    return new ServerOptions(
        c.name(),
        c.dataDir(),
        c.clientAddress().host(),
        c.clientAddress().port(),
        c.advertiseClientUrls(),
        c.advertisePeerUrls(),
        c.httpAddress().host(),
        c.httpAddress().port(),
        c.etcdEndpoints(),
        Duration.ofSeconds(5),
        c.tsoSaveInterval(),
        c.tsoUpdatePhysicalInterval(),
        c.pdServer().minResolvedTsPersistenceInterval(),
        (int) Math.min(Integer.MAX_VALUE, c.maxRequestBytes()),
        c);
  }

  private static void configureLogging(PdConfig c) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (System.getProperty("pd.log.level") == null) {
      root.setLevel(Level.toLevel(c.log().logbackLevel(), Level.INFO));
    }
    String file = c.log().file() == null ? "" : c.log().file().filename();
    if (!file.isEmpty()) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(ctx);
      encoder.setPattern("[%d{yyyy/MM/dd HH:mm:ss.SSS XXX}] [%level] [%logger{0}] %msg%n");
      encoder.start();
      FileAppender<ILoggingEvent> appender = new FileAppender<>();
      appender.setContext(ctx);
      appender.setName("FILE");
      appender.setFile(file);
      appender.setEncoder(encoder);
      appender.start();
      root.addAppender(appender);
      root.detachAppender("STDOUT"); // PD logs to the file instead of standard output
    }
  }
}
