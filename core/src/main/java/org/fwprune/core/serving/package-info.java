/**
 * Serving one image at a time: the {@link org.fwprune.core.serving.Predictor} that {@code
 * Cnn.predictor()} returns, and the service interface ({@link
 * org.fwprune.core.serving.PredictorEngine}) through which a module such as fwprune-onnxruntime
 * offers a faster engine. Uses nothing of the engine below it.
 */
package org.fwprune.core.serving;
