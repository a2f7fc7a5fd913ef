package org.fwprune.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.fwprune.core.serving.Predictor;
import org.fwprune.core.serving.PredictorEngine;
import org.fwprune.core.serving.ServingModel;

/**
 * Serves models with ONNX Runtime (Java API, {@code com.microsoft.onnxruntime}): one {@link
 * OrtSession} per predictor, all graph optimizations on, operators run one after another
 * (sequential execution: a single image leaves no independent branches worth a second pool),
 * intra-op threads as the model's execution options say. Declared as a service provider, so
 * {@code Cnn.predictor()} uses it whenever this module is present.
 */
public final class OrtPredictorEngine implements PredictorEngine {

  /** The engine name predictors report. */
  public static final String NAME = "onnxruntime";

  /** Public and without arguments, as {@link java.util.ServiceLoader} requires. */
  public OrtPredictorEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Predictor open(ServingModel model) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(model.intraOpThreads());
      options.setInterOpNumThreads(1);
      return new OrtPredictor(environment, environment.createSession(model.onnx(), options),
          model.input(), model.outputSize());
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime cannot run the model: " + e.getMessage(),
          e);
    }
  }
}
