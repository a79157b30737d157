package dev.overseer.server;

/**
 * The caller of a {@link Server#handleCall}: lets a server reply later, after returning
 * {@link Result#noReply(Object)} (OTP's {@code From} with {@code gen_server:reply/2}). Only the
 * first reply counts. Safe to use from the server's context at any later time.
 */
public interface From {

  /**
   * Sends {@code reply} (a JSON value) to the caller.
   *
   * @param reply the reply
   */
  void reply(Object reply);

  /**
   * Answers the caller with a failure.
   *
   * @param message the message
   */
  void fail(String message);
}
