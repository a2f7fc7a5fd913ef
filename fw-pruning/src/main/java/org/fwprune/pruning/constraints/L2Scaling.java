package org.fwprune.pruning.constraints;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Scaling a vector to L2 length {@code r} pointing against it, {@code -r x / ||x||_2}: the vertex
 * the L2 ball's and the K-support ball's LMOs share, in plain Java and as graph ops.
 */
final class L2Scaling {

  private L2Scaling() {}

  /**
   * {@code ||x||_2}, summed in double precision.
   *
   * @throws IllegalArgumentException if {@code x} holds NaN
   */
  static double norm(float[] x, String what) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      checkArgument(!Float.isNaN(x[i]), "%s must not contain NaN, found NaN at index %s", what, i);
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum);
  }

  /**
   * {@code -r x / ||x||_2} for a vector {@code x}; {@code DivNoNan} makes it 0 for {@code x = 0},
   * as the Java LMOs do.
   */
  static Operand<TFloat32> toRadius(Ops tf, Operand<TFloat32> x, Operand<TFloat32> radius) {
    Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.math.square(x), tf.constant(0)));
    return tf.math.mul(tf.math.neg(radius), tf.math.divNoNan(x, norm));
  }
}
