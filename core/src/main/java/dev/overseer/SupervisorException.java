package dev.overseer;

import io.vertx.core.VertxException;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The one exception type in a supervisor's failed futures: an {@link SupervisorError} and a
 * message that says what was wrong (for an invalid spec, which field and why).
 */
public class SupervisorException extends VertxException {

  /** What went wrong. */
  private final SupervisorError error;

  /**
   * @param error the cause
   * @param message what went wrong
   */
  public SupervisorException(SupervisorError error, String message) {
    this(error, message, null);
  }

  /**
   * @param error the cause
   * @param message what went wrong
   * @param cause the underlying failure, if any
   */
  public SupervisorException(SupervisorError error, String message, Throwable cause) {
    super(Objects.requireNonNull(error, "error").name().toLowerCase() + ": " + message, cause);
    this.error = error;
  }

  /** @return the error */
  public SupervisorError error() {
    return error;
  }

  /** @return {@code {"error": NAME, "code": n, "message": text}} */
  public JsonObject toJson() {
    return new JsonObject().put("error", error.name()).put("code", error.code()).put("message", getMessage());
  }
}
