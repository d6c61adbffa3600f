package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

/**
 * A failure with a name from {@link ErrorCode}. The message always starts with the name, so
 * whatever layer prints it (a CLI line, a JDBC SQLException, a log) shows it to the user.
 */
public class CairnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception named {@code code} with a human explanation. */
  public CairnException(ErrorCode code, String detail) {
    super(requireNonNull(code, "code") + ": " + requireNonNull(detail, "detail"));
    this.code = code;
  }

  /** Creates an exception named {@code code} with a human explanation and its cause. */
  public CairnException(ErrorCode code, String detail, Throwable cause) {
    super(requireNonNull(code, "code") + ": " + requireNonNull(detail, "detail"), cause);
    this.code = code;
  }

  /** Returns the name of this failure. */
  public ErrorCode code() {
    return code;
  }

  /** Returns the explanation without the leading code name. */
  public String detail() {
    String message = getMessage();
    return message.substring(code.name().length() + 2);
  }
}
