package dev.jpd.server.http;

/**
 * A request the HTTP API refuses: the status code and a message naming the problem and its
 * value. The body is the message as a JSON string, as PD answers errors.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  public int status() {
    return status;
  }
}
