package org.fwprune.core.data;

import java.io.IOException;

/**
 * Content that arrived but is wrong: a bad HTTP status, size or checksum. Unlike other I/O
 * failures it says nothing against the source itself, so the next file is still tried there.
 */
final class BadContentException extends IOException {
  private static final long serialVersionUID = 1L;

  BadContentException(String message) {
    super(message);
  }

  BadContentException(String message, Throwable cause) {
    super(message, cause);
  }
}
