package org.fwprune.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.fwprune.core.Cnn;
import org.fwprune.core.serving.ImageShape;
import org.fwprune.core.serving.EnginePredictor;
import org.fwprune.core.serving.Predictor;

/**
 * A {@link Predictor} on one ONNX Runtime session. {@link OrtSession#run} is thread-safe, so
 * requests run concurrently; {@link EnginePredictor} keeps the session from being closed under a
 * running request.
 */
final class OrtPredictor extends EnginePredictor {

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final long[] inputDims;

  OrtPredictor(OrtEnvironment environment, OrtSession session, ImageShape shape,
      int outputSize) {
    super(OrtPredictorEngine.NAME, shape, outputSize);
    this.environment = environment;
    this.session = session;
    this.inputDims = new long[] {1, shape.height(), shape.width(), shape.channels()};
  }

  @Override
  protected float[] compute(float[] image) {
    try (OnnxTensor x = OnnxTensor.createTensor(environment, FloatBuffer.wrap(image), inputDims);
        OrtSession.Result result = session.run(Map.of(Cnn.ONNX_INPUT, x))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] scores = new float[outputSize()];
      out.get(scores);
      return scores;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on one image: " + e.getMessage(), e);
    }
  }

  @Override
  protected void release() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to close a session: " + e.getMessage(),
          e);
    }
  }
}
