package org.fwprune.core.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/** Checks shared by the test suites that bad input and wrong use are refused with a clear message. */
public final class Refusals {

  private Refusals() {}

  /** One row of a table of bad arguments: the call and a fragment its message must contain. */
  public static Arguments bad(Executable call, String message) {
    return Arguments.of(call, message);
  }

  /** Asserts that {@code call} throws an IllegalArgumentException whose message has {@code message}. */
  public static void assertRejected(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
  }

  /**
   * Runs {@code action} on another thread, waits for it, and returns the IllegalStateException it
   * threw, or null if it threw none: how a test checks that a lock held by this thread refuses
   * another thread's use.
   */
  public static IllegalStateException illegalStateOnAnotherThread(Runnable action)
      throws InterruptedException {
    IllegalStateException[] seen = new IllegalStateException[1];
    Thread t = new Thread(() -> {
      try {
        action.run();
      } catch (IllegalStateException e) {
        seen[0] = e;
      }
    });
    t.start();
    t.join();
    return seen[0];
  }
}
