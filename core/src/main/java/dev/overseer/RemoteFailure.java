package dev.overseer;

import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The cause of a failed {@link ExitReason} read from JSON ({@link ExitReason#fromJson}), e.g. a
 * child's last exit on another node: the original exception's class name, message and stack
 * frames as text. It is never an instance of the original class.
 */
public final class RemoteFailure extends VertxException {

  /** The original exception's class name, as the remote side wrote it; never loaded as a class. */
  private final String errorClass;
  /** The original exception's message, without the class name this exception's message adds. */
  private final String remoteMessage;
  /** The original exception's stack frames as text, unmodifiable. */
  private final List<String> remoteStack;

  /**
   * @param errorClass the original exception's class name
   * @param message its message
   * @param stack its stack frames as strings, as {@link ExitReason#toJson()} writes them
   */
  public RemoteFailure(String errorClass, String message, JsonArray stack) {
    super(errorClass + ": " + message, true);
    this.errorClass = errorClass;
    this.remoteMessage = message;
    List<String> frames = new ArrayList<>();
    for (Object frame : stack) {
      frames.add(String.valueOf(frame));
    }
    this.remoteStack = List.copyOf(frames);
  }

  /** @return the original exception's class name */
  public String errorClass() {
    return errorClass;
  }

  /** @return the original exception's message */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** @return the original stack frames, as text */
  public List<String> remoteStack() {
    return remoteStack;
  }
}
