package dev.overseer.impl;

import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;

import java.util.function.Supplier;

/**
 * Reads the fields of a supervisor's options from their JSON form: a value of the wrong type or
 * outside its vocabulary becomes an {@link SupervisorError#INVALID_SPEC} that names the field, as
 * the specs' errors do. Shared by the options of every kind of supervisor, local or distributed.
 */
public final class JsonFields {

  private JsonFields() {
  }

  /**
   * @param field the field's name, for the error
   * @param read reads it (may return {@code null} for an absent field)
   * @return what {@code read} returned
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming the field when reading fails
   */
  public static <T> T field(String field, Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw new SupervisorException(SupervisorError.INVALID_SPEC, field + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #field}, for a field that has no "absent" value: an explicit JSON null is refused too.
   *
   * @param field the field's name, for the error
   * @param read reads it
   * @return what {@code read} returned, never {@code null}
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming the field
   */
  public static <T> T present(String field, Supplier<T> read) {
    T value = field(field, read);
    if (value == null) {
      throw new SupervisorException(SupervisorError.INVALID_SPEC, field + ": must not be null");
    }
    return value;
  }
}
