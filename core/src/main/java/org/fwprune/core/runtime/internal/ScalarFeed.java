package org.fwprune.core.runtime.internal;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A scalar value fed to a placeholder for one {@link ModelGraph#run}, e.g. the sparsity of a
 * pruning step; {@link ModelGraph} turns it into a tensor and closes it after the run.
 *
 * @param target a scalar placeholder of type float32, float64, int32 or int64
 * @param value the value; integers must be exact
 */
public record ScalarFeed(Operand<?> target, double value) {

  /** Checks the placeholder type and that integer targets get whole numbers. */
  public ScalarFeed {
    Class<?> type = target.type();
    checkArgument(type == TFloat32.class || type == TFloat64.class || type == TInt32.class
        || type == TInt64.class, "scalar feeds support float32, float64, int32 and int64, got %s",
        type.getSimpleName());
    checkArgument(type == TFloat32.class || type == TFloat64.class || value == Math.rint(value),
        "an integer placeholder needs a whole number, got %s", value);
  }

  Tensor tensor() {
    Class<?> type = target.type();
    if (type == TFloat32.class) {
      return TFloat32.scalarOf((float) value);
    } else if (type == TFloat64.class) {
      return TFloat64.scalarOf(value);
    } else if (type == TInt32.class) {
      return TInt32.scalarOf(Math.toIntExact((long) value));
    }
    return TInt64.scalarOf((long) value);
  }
}
