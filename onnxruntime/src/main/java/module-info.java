/**
 * fwprune on ONNX Runtime: a {@link org.fwprune.core.serving.PredictorEngine} that {@code
 * Cnn.predictor()} finds when this module is present, serving the model's ONNX export with ONNX
 * Runtime. Kept apart so that core does not need ONNX Runtime.
 */
// "requires-automatic": ONNX Runtime's jar has only an Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.fwprune.onnxruntime {
  requires org.fwprune.core;
  requires com.microsoft.onnxruntime;

  exports org.fwprune.onnxruntime;

  provides org.fwprune.core.serving.PredictorEngine
      with org.fwprune.onnxruntime.OrtPredictorEngine;
}
