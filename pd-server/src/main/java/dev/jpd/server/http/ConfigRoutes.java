package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jpd.server.config.ConfigException;
import dev.jpd.server.config.ConfigStore;
import dev.jpd.server.config.PdConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The config API with PD's paths and JSON ({@code server/api/config.go}); shapes are
 * {@link PdConfig#toMap()}, PD's {@code /config} JSON.
 *
 * <ul>
 *   <li>{@code GET /pd/api/v1/config}: the whole config in force; {@code GET /config/default}:
 *       PD's defaults; {@code GET /config/schedule}, {@code /config/replicate},
 *       {@code /config/pd-server}: one section.
 *   <li>{@code POST /pd/api/v1/config} {@code {key: value, ...}}: keys bare
 *       ({@code max-replicas}) or dotted ({@code schedule.max-merge-region-size},
 *       {@code replication.location-labels}); {@code POST /config/schedule} and
 *       {@code /config/replicate} take bare keys of their section. Only schedule and
 *       replication keys change at run time. Success: 200 {@code "The config is updated."};
 *       an unknown key or bad value: 400 naming it, and nothing changed (see {@link ConfigStore}).
 * </ul>
 */
public final class ConfigRoutes {
  static final String UPDATED = "The config is updated.";
  private static final String P = "/pd/api/v1";

  private ConfigRoutes() {}

  public static void register(HttpApi api, ConfigStore store) {
    api.get(P + "/config", c -> store.live().current().toMap())
        .get(P + "/config/default", c -> PdConfig.defaults().toMap())
        .get(P + "/config/schedule", c -> section(store, "schedule"))
        .get(P + "/config/replicate", c -> section(store, "replication"))
        .get(P + "/config/pd-server", c -> section(store, "pd-server"))
        .post(P + "/config", c -> set(store, c, ""))
        .post(P + "/config/schedule", c -> set(store, c, "schedule."))
        .post(P + "/config/replicate", c -> set(store, c, "replication."));
  }

  private static Object section(ConfigStore store, String name) {
    return store.live().current().toMap().get(name);
  }

  private static Object set(ConfigStore store, HttpCall c, String prefix) {
    JsonNode body = c.json();
    if (!body.isObject()) {
      throw HttpError.badRequest("request body must be a JSON object {\"key\": value}, got " + body);
    }
    Map<String, JsonNode> items = new LinkedHashMap<>();
    body.fields().forEachRemaining(e -> items.put(prefix + e.getKey(), e.getValue()));
    try {
      store.set(items);
    } catch (ConfigException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return UPDATED;
  }
}
