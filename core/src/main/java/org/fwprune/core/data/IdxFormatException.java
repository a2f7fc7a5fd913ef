package org.fwprune.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Signals that a file is not a well-formed IDX file of the expected kind: empty, truncated,
 * followed by trailing bytes, corrupt gzip, a wrong magic number, dimension count or data type,
 * dimensions that are not positive or too large, labels out of range, or images and labels that
 * disagree in count.
 *
 * <p>The message always starts with the offending file's path, followed by the problem, with the
 * expected and found values where there are any.
 */
public final class IdxFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Kept as a string because {@link Path} is not serializable. */
  private final String file;

  /**
   * Creates an exception for {@code file} with a description of what is wrong with it.
   *
   * @param file the malformed file
   * @param problem what is wrong, such as {@code "truncated data: expected 784 bytes, found 10"}
   */
  public IdxFormatException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * Creates an exception for {@code file} with a description and the low-level cause.
   *
   * @param file the malformed file
   * @param problem what is wrong
   * @param cause the exception that revealed the problem, or {@code null}
   */
  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(checkNotNull(file, "file") + ": " + checkNotNull(problem, "problem"), cause);
    this.file = file.toString();
  }

  /** Returns the path of the malformed file. */
  public Path file() {
    return Path.of(file);
  }
}
