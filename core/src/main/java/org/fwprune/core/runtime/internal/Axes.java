package org.fwprune.core.runtime.internal;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/** Axis lists for graph reductions, shared by the training step and the pruners' graphs. */
public final class Axes {

  private Axes() {}

  /**
   * Every axis of {@code x}, from its static rank: reducing over them gives a scalar. Use the
   * static rank of a variable, not of a gradient, whose rank the graph may not know.
   */
  public static Operand<TInt32> all(Ops tf, Operand<?> x) {
    int[] axes = new int[x.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
