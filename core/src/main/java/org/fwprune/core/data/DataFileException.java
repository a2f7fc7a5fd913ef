package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Signals that a data file or folder cannot be used: an unreadable image, an empty class folder,
 * a file whose size or content breaks its format. The message names the file and the problem.
 */
public class DataFileException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Kept as a string because {@link Path} is not serializable. */
  private final String file;

  /**
   * Creates an exception for {@code file} with a description of what is wrong with it.
   *
   * @param file the offending file or folder
   * @param problem what is wrong, with the value found and the values allowed
   */
  public DataFileException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * Creates an exception for {@code file} with a description and the low-level cause.
   *
   * @param file the offending file or folder
   * @param problem what is wrong
   * @param cause the exception that revealed the problem, or {@code null}
   */
  public DataFileException(Path file, String problem, Throwable cause) {
    super(checkNotNull(file, "file") + ": " + checkNotNull(problem, "problem"), cause);
    this.file = file.toString();
  }

  /** Returns the path of the offending file or folder. */
  public Path file() {
    return Path.of(file);
  }
}
