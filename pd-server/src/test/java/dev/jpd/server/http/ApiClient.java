package dev.jpd.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jpd.server.testing.TestPd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a {@link TestPd}'s API over its real port. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final TestPd pd;

  ApiClient(TestPd pd) {
    this.pd = pd;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null);
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return send("POST", path, body);
  }

  /** GET that must answer 200; the body as JSON. */
  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + pd.server().httpPort() + path);
    HttpRequest.BodyPublisher p =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return client.send(
        HttpRequest.newBuilder(uri).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The error message of a refused call: PD answers errors as a JSON string. */
  static String message(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).asText();
  }
}
