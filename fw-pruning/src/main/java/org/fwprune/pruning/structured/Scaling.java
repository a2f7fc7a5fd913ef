package org.fwprune.pruning.structured;

/**
 * How the kept filters of a layer combine into its output during and after selection.
 *
 * <p>The dense layer's output is the sum of its {@code N} filter contributions {@code phi_i}, which
 * is {@code N} times their average. Frank-Wolfe over the convex hull of {@code {N phi_i}} with step
 * {@code 1/(n+1)} (Ye et al. 2020) makes the iterate after {@code n} additions the average of the
 * selected vertices, {@code (N/n) sum_{i in S} phi_i}: {@link #AVERAGE}. Simply removing the other
 * filters keeps {@code sum_{i in S} phi_i}: {@link #MASK}. Both are exact in the smaller network:
 * the factor {@code N/n > 0} passes through ReLU and max pooling, so it is folded into the kept
 * kernel and bias.
 */
public enum Scaling {
  /** The kept filters keep their weights; the removed ones contribute zero. */
  MASK,
  /** The kept filters' outputs are scaled by {@code N / |S|}, the Frank-Wolfe average. */
  AVERAGE
}
