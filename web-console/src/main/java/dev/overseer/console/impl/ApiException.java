package dev.overseer.console.impl;

import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses or could not carry out: an HTTP status, a short machine-readable
 * error name and a sentence for humans. Sent as {@code {"error": NAME, "message": text}}.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String error;

  /**
   * @param status the HTTP status
   * @param error a short name, e.g. {@code NOT_FOUND}
   * @param message what was wrong, for humans
   */
  public ApiException(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  /** @return 400 {@code BAD_REQUEST} */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "BAD_REQUEST", message);
  }

  /** @return 404 {@code NOT_FOUND} */
  public static ApiException notFound(String message) {
    return new ApiException(404, "NOT_FOUND", message);
  }

  /**
   * Translates a failure of a supervisor operation. {@link SupervisorError} codes are HTTP-like
   * already; only {@code UNSUPPORTED} (405 on the event bus) becomes 409, because an HTTP 405
   * means the method was wrong, not the supervisor's kind.
   */
  public static ApiException of(Throwable failure) {
    if (failure instanceof ApiException) {
      return (ApiException) failure;
    }
    if (failure instanceof SupervisorException) {
      SupervisorError error = ((SupervisorException) failure).error();
      int status = error == SupervisorError.UNSUPPORTED ? 409 : error.code();
      return new ApiException(status, error.name(), failure.getMessage());
    }
    return new ApiException(500, "INTERNAL", String.valueOf(failure));
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return the error's short name */
  public String error() {
    return error;
  }

  /** @return the response body */
  public JsonObject toJson() {
    return new JsonObject().put("error", error).put("message", getMessage());
  }
}
