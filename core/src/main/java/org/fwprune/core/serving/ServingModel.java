package org.fwprune.core.serving;

import org.fwprune.core.check.Require;

/**
 * What a {@link PredictorEngine} is given: the model as an ONNX file's bytes (as {@code
 * Cnn.exportOnnx} writes it: input {@code images} {@code [batch, height, width, channels]},
 * output {@code output} {@code [batch, outputSize]}), the shapes, and how many threads one
 * request may use.
 *
 * @param onnx the serialized ONNX model; not copied, the engine must not change it
 * @param input the image shape the model takes
 * @param outputSize number of scores per image
 * @param intraOpThreads threads within one operator, 0 for the engine's choice (every core)
 */
public record ServingModel(byte[] onnx, ImageShape input, int outputSize, int intraOpThreads) {

  /** Checks that every part is present and in range. */
  public ServingModel {
    Require.notNull("onnx", onnx);
    Require.notNull("input", input);
    Require.atLeast("outputSize", outputSize, 1);
    Require.inClosed("intraOpThreads", intraOpThreads, 0, 1024);
  }
}
