package dev.overseer.server;

import dev.overseer.ExitReason;

import java.util.Objects;

/**
 * What a {@link Server} callback returns: the closed set of OTP's gen_server results. Immutable.
 *
 * <ul>
 *   <li>{@link #reply(Object, Object)}: {@code {reply, Reply, NewState}} (calls only)</li>
 *   <li>{@link #noReply(Object)}: {@code {noreply, NewState}}; a call is answered later through
 *       its {@link From}</li>
 *   <li>{@link #stop(ExitReason, Object)} / {@link #stop(ExitReason, Object, Object)}:
 *       {@code {stop, Reason, NewState}} / {@code {stop, Reason, Reply, NewState}}</li>
 * </ul>
 *
 * @param <S> the state's type
 */
public final class Result<S> {

  /** The kind of result. */
  public enum Kind {
    /** Reply now. */
    REPLY,
    /** No reply now. */
    NO_REPLY,
    /** Stop the server. */
    STOP
  }

  private final Kind kind;
  private final Object reply;
  private final boolean hasReply;
  private final S state;
  private final ExitReason reason;

  private Result(Kind kind, Object reply, boolean hasReply, S state, ExitReason reason) {
    this.kind = kind;
    this.reply = reply;
    this.hasReply = hasReply;
    this.state = state;
    this.reason = reason;
  }

  /**
   * @param <S> the type of the server's state
   * @param reply the reply
   * @param state the state to continue with
   * @return reply {@code reply} (a JSON value) to the caller and continue with {@code state}
   */
  public static <S> Result<S> reply(Object reply, S state) {
    return new Result<>(Kind.REPLY, reply, true, state, null);
  }

  /**
   * @param <S> the type of the server's state
   * @param state the state to continue with
   * @return continue with {@code state}, replying later (if a call) through {@link From}
   */
  public static <S> Result<S> noReply(S state) {
    return new Result<>(Kind.NO_REPLY, null, false, state, null);
  }

  /**
   * @param <S> the type of the server's state
   * @param reason why
   * @param state the state to continue with
   * @return stop with {@code reason}; {@code terminate} runs with {@code state}
   */
  public static <S> Result<S> stop(ExitReason reason, S state) {
    return new Result<>(Kind.STOP, null, false, state, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * @param <S> the type of the server's state
   * @param reason why
   * @param reply the reply
   * @param state the state to continue with
   * @return reply {@code reply}, then stop with {@code reason}
   */
  public static <S> Result<S> stop(ExitReason reason, Object reply, S state) {
    return new Result<>(Kind.STOP, reply, true, state, Objects.requireNonNull(reason, "reason"));
  }

  /** @return the kind */
  public Kind kind() {
    return kind;
  }

  /** @return the reply, if {@link #hasReply()} */
  public Object reply() {
    return reply;
  }

  /** @return whether this result carries a reply */
  public boolean hasReply() {
    return hasReply;
  }

  /** @return the new state */
  public S state() {
    return state;
  }

  /** @return the stop reason, or {@code null} */
  public ExitReason reason() {
    return reason;
  }
}
