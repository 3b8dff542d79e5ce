package dev.jpd.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's command line, with PD's flag names. Each flag either asks for an action
 * ({@code --help}, {@code --version}, {@code --config-check}) or overrides one config key, so that
 * flags win over the TOML file. Flags are written {@code --flag value} or {@code --flag=value};
 * as with PD (Go's flag packages), a single dash works too ({@code -name pd1}). Boolean flags take
 * no value, or {@code =true}/{@code =false}.
 *
 * @param action what the daemon is asked to do
 * @param configFile the {@code --config} file, or null
 * @param settings the config keys set by flags, in command-line order (a later one wins)
 */
public record PdFlags(Action action, Path configFile, List<Setting> settings) {

  /** What the command line asks for. */
  public enum Action {
    /** Start the daemon. */
    RUN,
    /** Print {@link #usage()} and exit. */
    HELP,
    /** Print the version and exit. */
    VERSION,
    /** Load and check the configuration, then exit (PD's {@code --config-check}). */
    CONFIG_CHECK
  }

  /**
   * One config key set on the command line.
   *
   * @param flag the flag as the user would write it, e.g. {@code --log-level}
   * @param key the dotted config key it sets, e.g. {@code log.level}
   * @param value the value as written ({@code "true"}/{@code "false"} for boolean flags)
   * @param bool true if the key is a boolean
   */
  public record Setting(String flag, String key, String value, boolean bool) {}

  /** One flag; {@code key} is null for action flags. */
  private record Flag(String name, String shortName, String key, String valueName, boolean bool,
      Action action, String help) {}

  private static final List<Flag> FLAGS = List.of(
      new Flag("config", null, null, "FILE", false, null, "config file (TOML)"),
      new Flag("config-check", null, null, null, true, Action.CONFIG_CHECK,
          "check the config file and flags, then exit"),
      new Flag("name", null, "name", "NAME", false, null,
          "human-readable name for this pd member (default \"pd\")"),
      new Flag("data-dir", null, "data-dir", "DIR", false, null,
          "path to the data directory (default \"default.${name}\")"),
      new Flag("client-urls", null, "client-urls", "URLS", false, null,
          "urls for client traffic, gRPC (default \"http://127.0.0.1:2379\")"),
      new Flag("advertise-client-urls", null, "advertise-client-urls", "URLS", false, null,
          "client urls to tell others (default ${client-urls})"),
      new Flag("peer-urls", null, "peer-urls", "URLS", false, null,
          "urls for peer traffic (default \"http://127.0.0.1:2380\")"),
      new Flag("advertise-peer-urls", null, "advertise-peer-urls", "URLS", false, null,
          "peer urls to tell others (default ${peer-urls})"),
      new Flag("initial-cluster", null, "initial-cluster", "NAME=URL,...", false, null,
          "initial cluster configuration for bootstrapping, e.g. pd=http://127.0.0.1:2380"),
      new Flag("join", null, "join", "URLS", false, null,
          "join an existing cluster (its ${advertise-client-urls})"),
      new Flag("log-level", "L", "log.level", "LEVEL", false, null,
          "log level: debug, info, warn, error, fatal (default \"info\")"),
      new Flag("log-file", null, "log.file.filename", "FILE", false, null, "log file path"),
      new Flag("metrics-addr", null, "metric.address", "ADDR", false, null,
          "prometheus pushgateway address (empty: no push)"),
      new Flag("force-new-cluster", null, "force-new-cluster", null, true, null,
          "force to create a new one-member cluster"),
      new Flag("etcd-endpoints", null, "etcd-endpoints", "URLS", false, null,
          "jpd: comma-separated etcd client urls; empty (default) = embedded store in data-dir"),
      new Flag("http-address", null, "http-address", "HOST:PORT", false, null,
          "jpd: listen address of the HTTP API, /metrics and /health (default 127.0.0.1:2381)"),
      new Flag("version", "V", null, null, true, Action.VERSION,
          "print version information and exit"),
      new Flag("help", "h", null, null, true, Action.HELP, "print this help and exit"));

  /** Copies the list. */
  public PdFlags {
    settings = List.copyOf(settings);
  }

  /**
   * Parses the command line. {@code --help} and {@code --version} win over everything else.
   *
   * @throws ConfigException naming an unknown flag, a missing or bad value, or a stray argument
   */
  public static PdFlags parse(String... args) {
    Action action = Action.RUN;
    boolean help = false;
    boolean version = false;
    Path configFile = null;
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ConfigException("unexpected argument \"" + arg + "\"; flags start with --,"
            + " see --help");
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String inline = eq < 0 ? null : body.substring(eq + 1);
      Flag flag = find(name);
      if (flag == null) {
        throw new ConfigException("unknown flag " + arg.substring(0, arg.length() - body.length())
            + name + "; see --help for the flags pd-server accepts");
      }
      String shown = (flag.name().equals(name) ? "--" : "-") + name;
      String value;
      if (flag.bool()) {
        value = inline == null ? "true" : inline;
        if (!value.equals("true") && !value.equals("false")) {
          throw new ConfigException("invalid value \"" + value + "\" for flag " + shown
              + ": expected true or false");
        }
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException("flag " + shown + " needs a value (" + flag.valueName() + ")");
      }
      if (flag.action() == Action.HELP) {
        help |= value.equals("true");
      } else if (flag.action() == Action.VERSION) {
        version |= value.equals("true");
      } else if (flag.action() == Action.CONFIG_CHECK) {
        action = value.equals("true") ? Action.CONFIG_CHECK : Action.RUN;
      } else if (flag.name().equals("config")) {
        configFile = value.isEmpty() ? null : Path.of(value);
      } else {
        settings.add(new Setting(shown, flag.key(), value, flag.bool()));
      }
    }
    if (help) {
      action = Action.HELP;
    } else if (version) {
      action = Action.VERSION;
    }
    return new PdFlags(action, configFile, settings);
  }

  /** The {@code --help} text. */
  public static String usage() {
    StringBuilder out = new StringBuilder("Usage: pd-server [flags]\n\n"
        + "Flags override the config file. Write --flag value or --flag=value.\n\n");
    for (Flag f : FLAGS) {
      String names = (f.shortName() == null ? "    " : "-" + f.shortName() + ", ")
          + "--" + f.name() + (f.valueName() == null ? "" : " " + f.valueName());
      out.append(String.format("  %-36s %s%n", names, f.help()));
    }
    out.append("\nFlags marked jpd: are ours; the others are PD's.\n");
    return out.toString();
  }

  private static Flag find(String name) {
    for (Flag f : FLAGS) {
      if (f.name().equals(name) || name.equals(f.shortName())) {
        return f;
      }
    }
    return null;
  }
}
