package org.fwprune.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a process's standard error, leaving out TensorFlow's native start-up information: INFO
 * lines of TensorFlow's own logger ({@code 2026-01-01 12:00:00.000000: I tensorflow/...cc:210]
 * ...}) and of Abseil's ({@code I0000 00:00:1795985217.363935 7461 file.cc:401] ...}), the CPU
 * guard's continuation line ("To enable the following instructions: ...") and Abseil's notice
 * that logging is not initialised. Warnings and errors pass, and so does everything else.
 *
 * <p>A line is held back only while it could still turn out to be one of those; anything else,
 * such as a progress bar redrawn with {@code \r} and no newline, passes as soon as its first
 * characters rule that out.
 */
final class NativeLogFilter {

  private static final Pattern NATIVE_INFO = Pattern.compile(
      "I\\d{4} [\\d:.]+ +\\d+ [^\\s:\\]]+:\\d+\\] "
          + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: I [^\\s:\\]]+:\\d+\\] "
          + "|To enable the following instructions: "
          + "|WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to"
          + " STDERR");

  private enum State { UNDECIDED, PASS, DROP }

  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private State state = State.UNDECIDED;

  private NativeLogFilter(OutputStream out) {
    this.out = out;
  }

  /** Copies {@code in} to {@code out} until end of stream, without the native INFO lines. */
  static void copy(InputStream in, OutputStream out) throws IOException {
    NativeLogFilter filter = new NativeLogFilter(out);
    byte[] buffer = new byte[8192];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      for (int i = 0; i < n; i++) {
        filter.accept(buffer[i]);
      }
      out.flush();
    }
    if (filter.state == State.UNDECIDED) {
      filter.decide(true);
    }
    out.flush();
  }

  private void accept(byte b) throws IOException {
    switch (state) {
      case PASS -> out.write(b);
      case DROP -> { }
      case UNDECIDED -> {
        pending.write(b);
        decide(b == '\n');
      }
      default -> throw new AssertionError(state);
    }
    if (b == '\n') {
      state = State.UNDECIDED;
    }
  }

  /** Decides the pending line once it matches, or can no longer match, a native INFO line. */
  private void decide(boolean complete) throws IOException {
    Matcher m = NATIVE_INFO.matcher(pending.toString(StandardCharsets.UTF_8));
    if (m.lookingAt()) {
      state = State.DROP;
    } else if (complete || !m.hitEnd()) {
      pending.writeTo(out);
      state = State.PASS;
    } else {
      return;
    }
    pending.reset();
  }
}
