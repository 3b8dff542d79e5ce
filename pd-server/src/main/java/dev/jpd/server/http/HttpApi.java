package dev.jpd.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API's server and router, on the JDK's built-in server (no dependency). Routes are
 * {@code (method, pattern)} pairs where a pattern segment {@code {name}} matches one path segment
 * (URL-decoded); a handler returns an object that is written as JSON (null: empty 200), a
 * {@link Text} for non-JSON bodies such as {@code /metrics}, or throws {@link HttpError}.
 * Groups of routes live in their own classes and register themselves through {@link #get},
 * {@link #post}, {@link #delete}.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A handler of one route. */
  @FunctionalInterface
  public interface Handler {
    Object handle(HttpCall call) throws Exception;
  }

  /** A non-JSON response body. */
  public record Text(String contentType, String body) {}

  private record Route(String method, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  public HttpApi get(String pattern, Handler h) {
    return add("GET", pattern, h);
  }

  public HttpApi post(String pattern, Handler h) {
    return add("POST", pattern, h);
  }

  public HttpApi delete(String pattern, Handler h) {
    return add("DELETE", pattern, h);
  }

  public synchronized HttpApi add(String method, String pattern, Handler h) {
    routes.add(new Route(method, split(pattern), h));
    return this;
  }

  /** Starts listening; port 0 picks a free one. */
  public synchronized HttpApi start(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 128);
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "pd-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
    return this;
  }

  private void dispatch(HttpExchange ex) throws IOException {
    try {
      String[] path = split(ex.getRequestURI().getRawPath());
      Route match = null;
      Map<String, String> params = null;
      boolean pathKnown = false;
      for (Route r : routes) {
        Map<String, String> p = match(r.segments, path);
        if (p != null) {
          pathKnown = true;
          if (r.method.equals(ex.getRequestMethod())) {
            match = r;
            params = p;
            break;
          }
        }
      }
      if (match == null) {
        String what = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        send(ex, pathKnown ? 405 : 404, (pathKnown ? "method not allowed: " : "no route: ") + what);
        return;
      }
      Object result;
      try {
        result = match.handler.handle(new HttpCall(ex, params));
      } catch (HttpError e) {
        send(ex, e.status(), e.getMessage());
        return;
      } catch (Exception e) {
        LOG.warn("http {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString(), e);
        send(ex, 500, e.toString());
        return;
      }
      send(ex, 200, result);
    } finally {
      ex.close();
    }
  }

  private static void send(HttpExchange ex, int status, Object value) throws IOException {
    byte[] bytes;
    String type;
    if (value instanceof Text t) {
      bytes = t.body().getBytes(StandardCharsets.UTF_8);
      type = t.contentType();
    } else {
      bytes = value == null ? new byte[0] : JSON.writeValueAsBytes(value);
      type = "application/json; charset=utf-8";
    }
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(p.substring(1, p.length() - 1), HttpCall.decode(path[i]));
      } else if (!p.equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    return server.getAddress().getHostString() + ":" + port();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
