package org.fwprune.examples.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.fwprune.core.Cnn;

/**
 * ONNX Runtime sessions for timing exported networks at any batch size, which
 * {@code Cnn.predictor()} (one image per call) cannot do: the session options of the predictor's
 * ONNX Runtime engine, with intra-op spinning off so that the idle sessions of the other networks
 * timed in alternation do not hold a shared machine's cores between their calls, or on (ONNX
 * Runtime's default, which the engine keeps) to measure what spinning costs.
 */
final class OrtTiming {

  private OrtTiming() {}

  /**
   * New session options; the caller closes them after creating its sessions.
   *
   * @param spinning whether idle intra-op threads spin, waiting for work
   */
  static OrtSession.SessionOptions options(boolean spinning) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** One call of {@code session} on {@code input}, the result closed unread. */
  static void run(OrtSession session, OnnxTensor input) {
    try (OrtSession.Result result = session.run(Map.of(Cnn.ONNX_INPUT, input))) {
      if (result.size() != 1) {
        throw new IllegalStateException("expected one output, got " + result.size());
      }
    } catch (OrtException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
