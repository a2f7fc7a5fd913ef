package org.fwprune.core.data;

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
public final class IdxFormatException extends DataFileException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception for {@code file} with a description of what is wrong with it.
   *
   * @param file the malformed file
   * @param problem what is wrong, such as {@code "truncated data: expected 784 bytes, found 10"}
   */
  public IdxFormatException(Path file, String problem) {
    super(file, problem);
  }

  /**
   * Creates an exception for {@code file} with a description and the low-level cause.
   *
   * @param file the malformed file
   * @param problem what is wrong
   * @param cause the exception that revealed the problem, or {@code null}
   */
  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(file, problem, cause);
  }
}
