package org.fwprune.pruning.transform;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What a {@link GradientTransform} may use while its ops are built for one kernel.
 *
 * @param tf the op builder of the model graph
 * @param name a unique prefix for this kernel and transform, for variable names
 * @param kernel the kernel variable
 * @param mask the kernel's 0/1 mask variable
 * @param step the 0-based Frank-Wolfe iteration counter, read before this step increments it
 */
public record TransformContext(Ops tf, String name, Variable<TFloat32> kernel,
    Variable<TFloat32> mask, Operand<TInt64> step) {

  /** A new float32 variable shaped like the kernel, initialised to zeros, named {@code name_suffix}. */
  public Variable<TFloat32> state(String suffix) {
    Ops init = tf.withInitScope();
    return tf.withName(name + "_" + suffix).variable(
        init.zeros(init.constant(kernel.shape().asArray()), TFloat32.class));
  }
}
