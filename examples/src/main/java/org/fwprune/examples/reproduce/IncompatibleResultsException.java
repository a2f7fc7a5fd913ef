package org.fwprune.examples.reproduce;

import java.io.IOException;

/**
 * A results folder cannot take this run's rows: it already holds results and resuming was not
 * asked for, or they were made with other settings, or shards to merge disagree.
 */
public final class IncompatibleResultsException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what differs and what to do. */
  public IncompatibleResultsException(String message) {
    super(message);
  }
}
