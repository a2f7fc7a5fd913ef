package org.fwprune.pruning.sfw;

/**
 * How {@link SfwTrainer}'s momentum buffer weighs a new gradient. With gradient rescaling the step
 * length is proportional to the buffer's norm, so the two conventions differ by a factor of about
 * {@code 1 / (1 - momentum)} in the effective learning rate once the buffer has filled (docs/sfw.md,
 * "The momentum convention").
 */
public enum MomentumConvention {
  /**
   * {@code m = momentum m + (1 - momentum) g}: an exponential average of the gradients (Lu et al.,
   * ICLR 2022, and Pokutta, Spiegel and Zimmer 2020, Algorithm 1, with {@code rho = 1 - momentum}).
   */
  AVERAGE,
  /**
   * {@code m = momentum m + g}: the sum used by PyTorch's SGD and by ZIB's reference code (Zimmer,
   * Spiegel and Pokutta 2022), whose buffer grows to {@code 1 / (1 - momentum)} times the average.
   */
  SUM;

  /**
   * The weight of the new gradient in the buffer update for {@code momentum}. The average's is
   * computed in single precision, as the graph computed {@code 1 - rho} before this option existed,
   * so that earlier runs repeat to the bit.
   */
  double gradientWeight(double momentum) {
    return this == AVERAGE ? 1f - (float) momentum : 1;
  }
}
