package org.fwprune.examples.sfw;

/**
 * The training methods the any-sparsity study compares (docs/sfw.md). Every method spends the
 * same number of minibatch gradients, {@code epochs} passes over the training data.
 */
public enum StudyMethod {
  /** SFW in a K-sparse polytope (K = 5%, tau 15; biases in an L2 ball), then pruned. */
  SFW,
  /** As {@link #SFW} with the biases in the same K-sparse polytope, as the reference code. */
  SFW_SPARSE_BIASES,
  /** SFW in a K-support norm ball (K = 5%, tau 15; biases in an L2 ball), then pruned. */
  SFW_KSUPPORT,
  /**
   * As {@link #SFW} with K = 2% of each kernel's entries, the sparser vertex the reference
   * probe also measured on the paper CNN.
   */
  SFW_K2,
  /**
   * As {@link #SFW} with the momentum buffer summed ({@code m = 0.9 m + g}, ZIB's reference code)
   * instead of averaged: at the same learning rate 1 the rescaled step is about 10 times longer.
   */
  SFW_SUM,
  /**
   * As {@link #SFW_SUM} at a tenth of the learning rate (0.1), which gives the averaged buffer's
   * step length once the buffer has filled: the conventions then differ only in the first steps.
   */
  SFW_SUM_TENTH_LR,
  /** SGD with momentum 0.9, learning rate 0.05, then pruned the same way. */
  SGD_MOMENTUM,
  /**
   * Gradual magnitude pruning, one run per target: SGD with momentum for half the budget, then
   * the library's default GMP for the other half.
   */
  GMP;

  /** The name used on the command line and in the output, e.g. {@code sgd-momentum}. */
  public String label() {
    return Labels.of(this);
  }

  /**
   * The method named {@code label}.
   *
   * @throws IllegalArgumentException naming the known labels if none matches
   */
  public static StudyMethod parse(String label) {
    return Labels.parse(values(), "method", label);
  }
}
