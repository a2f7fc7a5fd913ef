package org.fwprune.pruning.constraints;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.fwprune.core.check.Require;

/**
 * Expected L2 norms of freshly initialised weight tensors, the scale to which the FW radius is set
 * ({@link Constraint#radiusFromInit}; docs/algorithms.md).
 *
 * <p>The reference code (ZIB-IOL/StochasticFrankWolfe, {@code get_avg_init_norm}) estimates {@code
 * E||W_init||_2} by averaging the norms of fresh draws of the layer's initializer. For initializers
 * with i.i.d. entries {@code U(-a, a)} the estimate has a closed form: each entry has {@code E w^2
 * = a^2 / 3}, so {@code E||W||_2^2 = n a^2 / 3} and
 *
 * <pre>
 *   E||W||_2 ~= sqrt(n a^2 / 3).
 * </pre>
 *
 * By Jensen's inequality this is an upper bound on {@code E||W||_2}; a second-order expansion puts
 * the relative gap at about {@code 1 / (10 n)} (so below 1e-3 for any tensor with more than 100
 * entries), far inside the Monte-Carlo noise of the reference code's estimate.
 *
 * <p>Glorot uniform (Glorot and Bengio 2010, "Understanding the difficulty of training deep
 * feedforward neural networks", Eq. 16) draws {@code U(-a, a)} with {@code a = sqrt(6 / (fan_in +
 * fan_out))}. Fans follow the Keras convention for row-major kernels ({@link Fans#of}). Note that
 * TensorFlow Java 1.1.0's own {@code VarianceScaling} (and so its {@code Glorot}) differs from this
 * in two ways: its uniform branch scales {@code StatelessRandomUniform}, which draws from {@code
 * [0, 1)}, giving {@code U[0, a)} rather than {@code U(-a, a)}; and for rank &gt; 2 its receptive
 * field also multiplies in the input-channel dimension. The formulas here describe the textbook
 * initializer.
 */
public final class InitNorms {

  private InitNorms() {}

  /**
   * Fan-in and fan-out of a kernel, as Keras computes them ({@code
   * keras.src.initializers.random_initializers.compute_fans}): rank 1 {@code [n]} gives {@code (n,
   * n)}; rank 2 {@code [in, out]} gives {@code (in, out)}; rank r &gt; 2, e.g. a conv kernel {@code
   * [kh, kw, in, out]}, gives {@code (in * rf, out * rf)} with the receptive field {@code rf} the
   * product of the first r - 2 dimensions.
   *
   * @param fanIn number of inputs feeding one output unit
   * @param fanOut number of outputs fed by one input unit
   */
  public record Fans(long fanIn, long fanOut) {

    /**
     * Checks both fans.
     *
     * @throws IllegalArgumentException if a fan is below 1
     */
    public Fans {
      checkArgument(fanIn >= 1, "fanIn must be >= 1, got %s", fanIn);
      checkArgument(fanOut >= 1, "fanOut must be >= 1, got %s", fanOut);
    }

    /**
     * The fans of a kernel of the given shape; see the record comment.
     *
     * @throws IllegalArgumentException if the shape has rank 0 or a dimension below 1
     */
    public static Fans of(long... shape) {
      checkShape(shape);
      int rank = shape.length;
      if (rank == 1) {
        return new Fans(shape[0], shape[0]);
      }
      long receptiveField = 1;
      for (int i = 0; i < rank - 2; i++) {
        receptiveField = Math.multiplyExact(receptiveField, shape[i]);
      }
      return new Fans(
          Math.multiplyExact(shape[rank - 2], receptiveField),
          Math.multiplyExact(shape[rank - 1], receptiveField));
    }
  }

  /**
   * {@code a = sqrt(6 / (fanIn + fanOut))}, the bound of Glorot-uniform entries (Glorot and Bengio
   * 2010, Eq. 16).
   *
   * @throws IllegalArgumentException if a fan is below 1
   */
  public static double glorotUniformLimit(long fanIn, long fanOut) {
    Fans fans = new Fans(fanIn, fanOut);
    return Math.sqrt(6.0 / ((double) fans.fanIn() + fans.fanOut()));
  }

  /**
   * {@code sqrt(n a^2 / 3)}: the expected L2 norm of {@code n} i.i.d. {@code U(-a, a)} entries, to
   * within a relative {@code 1 / (10 n)} (class comment).
   *
   * @throws IllegalArgumentException if {@code limit} is not in {@code (0, +inf)} or {@code n < 1}
   */
  public static double uniformExpectedL2Norm(double limit, long n) {
    Require.inOpen("limit", limit, 0, Double.POSITIVE_INFINITY);
    checkArgument(n >= 1, "n must be >= 1, got %s", n);
    return Math.sqrt(n * limit * limit / 3.0);
  }

  /**
   * The expected L2 norm of a Glorot-uniform tensor of {@code n} entries with the given fans:
   * {@code sqrt(n a^2 / 3) = sqrt(2 n / (fanIn + fanOut))}.
   *
   * @throws IllegalArgumentException if a fan or {@code n} is below 1
   */
  public static double glorotUniformExpectedL2Norm(long fanIn, long fanOut, long n) {
    return uniformExpectedL2Norm(glorotUniformLimit(fanIn, fanOut), n);
  }

  /**
   * The expected L2 norm of a Glorot-uniform kernel of the given shape, fans from {@link Fans#of}.
   * For a dense kernel {@code [in, out]} this is {@code sqrt(2 in out / (in + out))}.
   *
   * @throws IllegalArgumentException if the shape has rank 0 or a dimension below 1
   */
  public static double glorotUniformExpectedL2Norm(long... shape) {
    Fans fans = Fans.of(shape);
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return glorotUniformExpectedL2Norm(fans.fanIn(), fans.fanOut(), n);
  }

  private static void checkShape(long[] shape) {
    checkNotNull(shape, "shape must not be null");
    checkArgument(shape.length >= 1, "shape must have rank >= 1, found rank 0");
    for (long d : shape) {
      checkArgument(
          d >= 1, "every dimension of shape must be >= 1, found %s", Arrays.toString(shape));
    }
  }
}
