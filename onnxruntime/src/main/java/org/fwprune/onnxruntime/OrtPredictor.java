package org.fwprune.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.fwprune.core.Cnn;
import org.fwprune.core.serving.ImageShape;
import org.fwprune.core.serving.Predictor;

/**
 * A {@link Predictor} on one ONNX Runtime session. {@link OrtSession#run} is thread-safe, so
 * requests run concurrently under a shared read lock; {@link #close} takes the write lock, so the
 * session is never closed under a running request.
 */
final class OrtPredictor implements Predictor {

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ImageShape shape;
  private final int outputSize;
  private final long[] inputDims;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  OrtPredictor(OrtEnvironment environment, OrtSession session, ImageShape shape,
      int outputSize) {
    this.environment = environment;
    this.session = session;
    this.shape = shape;
    this.outputSize = outputSize;
    this.inputDims = new long[] {1, shape.height(), shape.width(), shape.channels()};
  }

  @Override
  public float[] predict(float[] image) {
    shape.check(image);
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the predictor has been closed");
      }
      try (OnnxTensor x = OnnxTensor.createTensor(environment, FloatBuffer.wrap(image),
              inputDims);
          OrtSession.Result result = session.run(Map.of(Cnn.ONNX_INPUT, x))) {
        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[] scores = new float[outputSize];
        out.get(scores);
        return scores;
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed on one image: " + e.getMessage(), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public ImageShape input() {
    return shape;
  }

  @Override
  public int outputSize() {
    return outputSize;
  }

  @Override
  public String engine() {
    return OrtPredictorEngine.NAME;
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to close a session: " + e.getMessage(),
          e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "Predictor[" + OrtPredictorEngine.NAME + ", " + shape + " -> " + outputSize + "]";
  }
}
