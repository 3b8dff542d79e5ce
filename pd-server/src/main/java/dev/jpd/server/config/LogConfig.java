package dev.jpd.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PD's {@code [log]} section. We log through slf4j and logback: {@link #level} and
 * {@link File#filename} are applied by the daemon; the rotation settings and {@code format} are
 * accepted and kept for PD compatibility but not acted on yet.
 *
 * @param level {@code level}: debug, info (default), warn, error or fatal
 * @param format {@code format}: text (default), json or console
 * @param disableTimestamp {@code disable-timestamp}
 * @param disableErrorVerbose {@code disable-error-verbose} (default true, as PD sets it)
 * @param file {@code [log.file]}
 */
public record LogConfig(
    String level, String format, boolean disableTimestamp, boolean disableErrorVerbose, File file) {

  private static final List<String> LEVELS = List.of("debug", "info", "warn", "error", "fatal");

  /**
   * PD's {@code [log.file]}.
   *
   * @param filename {@code filename}: log to this file instead of standard output, if not empty
   * @param maxSize {@code max-size}: MB per file before rotation (default 300)
   * @param maxDays {@code max-days}: days to keep old files, 0 = forever
   * @param maxBackups {@code max-backups}: old files to keep, 0 = all
   */
  public record File(String filename, long maxSize, long maxDays, long maxBackups) {}

  /**
   * Reads {@code [log]}. The fallbacks are PD's deprecated top-level {@code log-level} and
   * {@code log-file} keys, used when {@code [log]} does not set them.
   */
  static LogConfig read(ConfigReader r, String levelFallback, String fileFallback) {
    String level = r.nonEmptyString("level", levelFallback).toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw r.invalid("level", level, "must be one of " + String.join(", ", LEVELS));
    }
    ConfigReader f = r.section("file");
    return new LogConfig(
        level,
        r.choice("format", "text", "text", "json", "console"),
        r.bool("disable-timestamp", false),
        r.bool("disable-error-verbose", true),
        new File(
            f.nonEmptyString("filename", fileFallback),
            f.uint("max-size", 300),
            f.uint("max-days", 0),
            f.uint("max-backups", 0)));
  }

  /** The logback level for {@link #level}: DEBUG, INFO, WARN or ERROR (fatal maps to ERROR). */
  public String logbackLevel() {
    return level.equals("fatal") ? "ERROR" : level.toUpperCase(Locale.ROOT);
  }

  /** This section as a map (the same in both shapes). */
  Map<String, Object> toMap(ConfigWriter.Shape shape) {
    Map<String, Object> fileMap = new ConfigWriter(shape)
        .put("filename", file.filename())
        .put("max-size", file.maxSize())
        .put("max-days", file.maxDays())
        .put("max-backups", file.maxBackups())
        .toMap();
    return new ConfigWriter(shape)
        .put("level", level)
        .put("format", format)
        .put("disable-timestamp", disableTimestamp)
        .put("disable-error-verbose", disableErrorVerbose)
        .put("file", fileMap)
        .toMap();
  }
}
