package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request as a route handler sees it: path parameters, query parameters, JSON body. */
public final class HttpCall {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpExchange exchange;
  private final Map<String, String> pathParams;
  private final Map<String, List<String>> query;
  private byte[] body;

  HttpCall(HttpExchange exchange, Map<String, String> pathParams) {
    this.exchange = exchange;
    this.pathParams = pathParams;
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
  }

  public String method() {
    return exchange.getRequestMethod();
  }

  public String path() {
    return exchange.getRequestURI().getPath();
  }

  /** A {@code {name}} segment of the route's pattern, URL-decoded. */
  public String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalArgumentException("route has no path parameter " + name);
    }
    return v;
  }

  /** A path parameter that must be an unsigned decimal number; 400 naming it otherwise. */
  public long pathLong(String name) {
    String v = pathParam(name);
    try {
      return Long.parseUnsignedLong(v);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("invalid " + name + " \"" + v + "\": want a non-negative integer");
    }
  }

  /** The first value of a query parameter, or null. */
  public String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** Every value of a repeated query parameter ({@code ?state=Up&state=Offline}). */
  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** An integer query parameter, or {@code dflt} when absent; 400 naming it when malformed. */
  public long queryLong(String name, long dflt) {
    String v = query(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("invalid " + name + " \"" + v + "\": want an integer");
    }
  }

  public byte[] body() {
    if (body == null) {
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      } catch (IOException e) {
        throw HttpError.badRequest("cannot read the request body: " + e.getMessage());
      }
    }
    return body;
  }

  /** The body as JSON; 400 naming the problem when it is empty or not JSON. */
  public JsonNode json() {
    byte[] b = body();
    if (b.length == 0) {
      throw HttpError.badRequest("request body is empty: want JSON");
    }
    try {
      return JSON.readTree(b);
    } catch (IOException e) {
      throw HttpError.badRequest("request body is not valid JSON: " + e.getMessage());
    }
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
