/**
 * The daemon's configuration: PD's TOML keys and defaults, PD's command-line flags, and the
 * {@code /pd/api/v1/config} JSON shape.
 *
 * <p>Entry points: {@link dev.jpd.server.config.PdFlags#parse} for the command line, then
 * {@link dev.jpd.server.config.PdConfig#load(dev.jpd.server.config.PdFlags)}; errors are
 * {@link dev.jpd.server.config.ConfigException}s whose message can be shown as it is.
 *
 * <p>How loading works: Jackson's TOML module parses the file into a tree; flags are written over
 * the tree; then each section's {@code read} asks a {@code ConfigReader} for its keys one by one,
 * each with PD's default next to it, and validates. Keys nobody asked for are errors, named with
 * their section ({@code unknown config key schedule.max-store-dwn-time in pd.toml (did you mean
 * schedule.max-store-down-time?)}). We read the tree by hand rather than binding it to classes so
 * that defaults, derived defaults ({@code data-dir} from {@code name}, {@code max-merge-region-keys}
 * from the size), PD's deprecated spellings and error messages naming key, value and origin all
 * live in one readable place per section.
 *
 * <p>Writing goes the other way through {@code ConfigWriter}: {@code toToml()} gives a document
 * that reads back to an equal config, {@code toMap()}/{@code toJson()} PD's JSON shape (Go
 * duration strings like {@code "30m0s"}, booleans PD marks {@code ,string} as strings,
 * {@code schedulers-v2}).
 *
 * <p>Ours, not PD's: {@code etcd-endpoints} / {@code --etcd-endpoints} (empty: embedded store in
 * the data dir), {@code http-address} / {@code --http-address} (default {@code 127.0.0.1:2381};
 * PD serves HTTP on the gRPC port, we keep them apart) and {@code repair-warmup} (default true:
 * warm the checkers' repair path once after start; top-level, read at start only, so it is
 * neither persisted nor changed through {@code /config} as {@code [schedule]} keys are).
 */
package dev.jpd.server.config;
