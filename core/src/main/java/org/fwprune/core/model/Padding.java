package org.fwprune.core.model;

/** How a convolution treats the border of its input, with TensorFlow's semantics. */
public enum Padding {
  /** No padding: the output shrinks by {@code kernel - 1} before striding. */
  VALID,
  /** Zero padding so that the output size is {@code ceil(input / stride)}. */
  SAME;

  int outputSize(int input, int kernel, int stride) {
    return this == VALID ? (input - kernel) / stride + 1 : (input + stride - 1) / stride;
  }
}
