package dev.jpd.server.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A host and port to listen on or connect to, e.g. {@code 127.0.0.1:2379} or {@code [::1]:2379}.
 *
 * @param host a host name or IP address (IPv6 without brackets)
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

  /** Checks the parts. */
  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("missing host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }
  }

  /**
   * Parses {@code host:port} ({@code [v6-address]:port} for IPv6).
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static HostPort parse(String text) {
    URI uri;
    try {
      uri = new URI("tcp://" + text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected host:port, e.g. 127.0.0.1:2381");
    }
    if (uri.getHost() == null || uri.getPort() < 0 || uri.getRawPath().length() > 0
        || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("expected host:port, e.g. 127.0.0.1:2381");
    }
    return new HostPort(stripBrackets(uri.getHost()), uri.getPort());
  }

  /**
   * The host and port of a PD URL such as {@code http://127.0.0.1:2379}.
   *
   * @throws IllegalArgumentException if it is not {@code http://host:port}
   */
  public static HostPort fromUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected a URL like http://127.0.0.1:2379");
    }
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "https is not supported yet (jpd does not serve TLS); use http://host:port");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("expected a URL like http://127.0.0.1:2379");
    }
    return new HostPort(stripBrackets(uri.getHost()), uri.getPort());
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
