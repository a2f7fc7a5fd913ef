package org.fwprune.core.serving;

/**
 * A service that runs exported models for serving, found with {@link java.util.ServiceLoader}:
 * a module declares {@code provides org.fwprune.core.serving.PredictorEngine with ...} (and, for
 * the class path, a {@code META-INF/services} entry), and {@code Cnn.predictor()} uses it instead
 * of the TensorFlow session engine, which docs/performance.md measured slower at batch 1.
 * fwprune-onnxruntime provides one.
 */
public interface PredictorEngine {

  /** Short name of the engine, returned by {@link Predictor#engine()}. */
  String name();

  /**
   * A predictor for {@code model}.
   *
   * @throws IllegalArgumentException if the engine cannot run the model; the message says why
   */
  Predictor open(ServingModel model);
}
