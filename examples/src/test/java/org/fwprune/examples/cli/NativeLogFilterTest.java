package org.fwprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NativeLogFilterTest {

  private static String filter(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NativeLogFilter.copy(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-11-29 21:04:28.913855: I tensorflow/core/platform/cpu_feature_guard.cc:210] This"
          + " TensorFlow binary is optimized to use available CPU instructions.",
      "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow.",
      "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
      "I0000 00:00:1795986724.526699   19907 mlir_graph_optimization_pass.cc:401] MLIR V1"
          + " optimization pass is not enabled"})
  void copy_nativeInfoLine_isLeftOut(String line) throws IOException {
    assertEquals("before\nafter\n", filter("before\n" + line + "\nafter\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "W0000 00:00:1795986724.526699   19907 gpu_device.cc:2344] Cannot dlopen some GPU libraries.",
      "2026-11-29 21:04:28.913855: E tensorflow/core/framework/op_kernel.cc:1 failed",
      "I0000 is how this user's own message begins",
      "reproduce: --budgets must be positive",
      ""})
  void copy_otherLine_passesUnchanged(String line) throws IOException {
    assertEquals(line + "\n", filter(line + "\n"));
  }

  @Test
  void copy_lastLineWithoutNewline_passes() throws IOException {
    assertEquals("a\nno newline", filter("a\nno newline"));
  }

  @Test
  void copy_progressRedrawWithoutNewline_passesBeforeTheStreamEnds() throws Exception {
    // A progress bar redraws one line with \r and no newline: it must show at once, not when the
    // line ends. The writer keeps the pipe open until the filtered text has arrived.
    PipedOutputStream writer = new PipedOutputStream();
    InputStream in = new PipedInputStream(writer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread copy = new Thread(() -> {
      try {
        NativeLogFilter.copy(in, out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    copy.start();
    writer.write("\r\033[2K 40% cell 3/8".getBytes(StandardCharsets.UTF_8));
    writer.flush();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (out.size() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String shown = out.toString(StandardCharsets.UTF_8);
    writer.close();
    copy.join();

    assertEquals("\r\033[2K 40% cell 3/8", shown);
  }
}
