package org.fwprune.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.data.Dataset;

/** Runs an exported ONNX file in ONNX Runtime on a batch, for the agreement tests. */
final class OrtRuns {

  private OrtRuns() {}

  /**
   * The outputs of {@code file} on the images of {@code batch}, one row per image. The
   * environment is process-wide and closes itself at exit; it is not closed here.
   */
  static float[][] run(Path file, Dataset batch) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    int n = batch.size();
    float[] pixels = new float[n * batch.imageSize()];
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch.image(i), 0, pixels, i * batch.imageSize(), batch.imageSize());
    }
    long[] shape = {n, batch.height(), batch.width(), batch.channels()};
    try (OrtSession session = environment.createSession(file.toString(),
            new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels), shape);
        OrtSession.Result result = session.run(Map.of(Cnn.ONNX_INPUT, input))) {
      return (float[][]) result.get(0).getValue();
    }
  }
}
