package org.fwprune.core.runtime.internal;

import org.fwprune.core.model.Activation;
import org.fwprune.core.model.LayerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The activation functions as graph ops, each computed the way Keras 3 computes it
 * (keras/src/activations/activations.py), so that imported models match Keras to float32
 * rounding.
 */
final class Activations {

  /** The slope of Keras' {@code leaky_relu} activation function. */
  private static final float LEAKY_RELU_SLOPE = 0.2f;

  private Activations() {}

  /** {@code function} applied to {@code x}. */
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Activation function) {
    return switch (function) {
      case SIGMOID -> tf.math.sigmoid(x);
      case HARD_SIGMOID -> hardSigmoid(tf, x);
      case SWISH -> tf.math.mul(x, tf.math.sigmoid(x));
      case HARD_SWISH -> tf.math.mul(x, hardSigmoid(tf, x));
      // The exact form, x (1 + erf(x / sqrt 2)) / 2: Keras' gelu defaults to approximate=False.
      case GELU -> tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(tf.constant(1f),
          tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))))));
      case TANH -> tf.math.tanh(x);
      case ELU -> tf.nn.elu(x);
      case SELU -> tf.nn.selu(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_RELU_SLOPE));
    };
  }

  /** Keras 3's {@code relu6(x + 3) / 6}. */
  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
  }

  /**
   * Keras' {@code ReLU} with its options, in Keras' own order of steps: a nonzero threshold zeroes
   * what does not exceed it, then the cap clips, then the negative part {@code slope *
   * relu(threshold - x)} is subtracted.
   */
  static Operand<TFloat32> relu(Ops tf, Operand<TFloat32> x, LayerSpec.Relu spec) {
    boolean capped = spec.maxValue() != LayerSpec.Relu.NO_MAX;
    if (spec.plain()) {
      return tf.nn.relu(x);
    }
    if (spec.negativeSlope() != 0 && !capped && spec.threshold() == 0) {
      return tf.nn.leakyRelu(x, LeakyRelu.alpha((float) spec.negativeSlope()));
    }
    Operand<TFloat32> out;
    if (spec.threshold() != 0) {
      Operand<TFloat32> t = tf.constant((float) spec.threshold());
      out = tf.math.mul(x, tf.dtypes.cast(tf.math.greater(x, t), TFloat32.class));
    } else if (spec.maxValue() == 6) {
      out = tf.nn.relu6(x);
      capped = false;
    } else {
      out = tf.nn.relu(x);
    }
    if (capped) {
      out = tf.clipByValue(out, tf.constant(0f), tf.constant((float) spec.maxValue()));
    }
    if (spec.negativeSlope() != 0) {
      Operand<TFloat32> negative = tf.nn.relu(tf.math.sub(tf.constant((float) spec.threshold()),
          x));
      out = tf.math.sub(out, tf.math.mul(tf.constant((float) spec.negativeSlope()), negative));
    }
    return out;
  }
}
