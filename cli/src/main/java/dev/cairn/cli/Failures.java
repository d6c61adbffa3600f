package dev.cairn.cli;

import dev.cairn.wire.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line a user reads: the named error first, then what happened. */
final class Failures {
  private Failures() {}

  static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CairnException) {
      return cause.getMessage();
    }
    if (cause instanceof SQLException && cause.getMessage() != null) {
      return cause.getMessage(); // the driver's message names the error, e.g. FORK
    }
    if (cause instanceof IOException) {
      return "IO_ERROR: " + cause.getMessage();
    }
    if (cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    return "INTERNAL: " + cause;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException
        || cause instanceof UncheckedIOException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
