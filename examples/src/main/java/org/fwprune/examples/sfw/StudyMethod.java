package org.fwprune.examples.sfw;

/**
 * The training methods the any-sparsity study compares (docs/sfw.md). Every method spends the
 * same number of minibatch gradients, {@code epochs} passes over the training data.
 */
public enum StudyMethod {
  /** SFW in a K-sparse polytope (K = 5%, tau 15; biases in an L2 ball), then pruned. */
  SFW("sfw"),
  /** As {@link #SFW} with the biases in the same K-sparse polytope, as the reference code. */
  SFW_SPARSE_BIASES("sfw-sparse-biases"),
  /** SFW in a K-support norm ball (K = 5%, tau 15; biases in an L2 ball), then pruned. */
  SFW_KSUPPORT("sfw-ksupport"),
  /** SGD with momentum 0.9, learning rate 0.05, then pruned the same way. */
  SGD_MOMENTUM("sgd-momentum"),
  /**
   * Gradual magnitude pruning, one run per target: SGD with momentum for half the budget, then
   * the library's default GMP for the other half.
   */
  GMP("gmp");

  private final String label;

  StudyMethod(String label) {
    this.label = label;
  }

  /** The name used on the command line and in the output. */
  public String label() {
    return label;
  }

  /**
   * The method named {@code label}.
   *
   * @throws IllegalArgumentException naming the known labels if none matches
   */
  public static StudyMethod parse(String label) {
    return Labels.parse(values(), StudyMethod::label, "method", label);
  }
}
