/**
 * The ONNX Runtime engine of fwprune's serving {@link org.fwprune.core.serving.Predictor}:
 * {@link org.fwprune.onnxruntime.OrtPredictorEngine}, found by {@code Cnn.predictor()} through
 * {@link java.util.ServiceLoader}.
 */
package org.fwprune.onnxruntime;
