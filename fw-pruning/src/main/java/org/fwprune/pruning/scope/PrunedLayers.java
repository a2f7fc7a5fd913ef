package org.fwprune.pruning.scope;

import java.util.List;

/**
 * Which kernels a pruner prunes. The first convolution sees the raw image through few weights and
 * the last dense layer decides the classes; pruning them costs accuracy out of proportion to the
 * weights saved, so common practice (Zhu and Gupta 2017; Han et al. 2015 keep the first layer
 * denser) leaves one or both dense. Every other kernel, 1x1 projections included, is pruned.
 * The target sparsity counts the pruned kernels only.
 */
public enum PrunedLayers {
  /** Every convolution and dense kernel. */
  ALL,
  /** All but the first kernel (the first convolution). */
  ALL_BUT_FIRST,
  /** All but the last kernel (the last dense layer). */
  ALL_BUT_LAST,
  /** All but the first and the last kernel. */
  ALL_BUT_FIRST_AND_LAST;

  /**
   * The pruned ones among {@code kernels}, given in model order.
   *
   * @throws IllegalArgumentException if nothing would be left to prune
   */
  public <T> List<T> select(List<T> kernels) {
    int from = this == ALL_BUT_FIRST || this == ALL_BUT_FIRST_AND_LAST ? 1 : 0;
    int to = kernels.size() - (this == ALL_BUT_LAST || this == ALL_BUT_FIRST_AND_LAST ? 1 : 0);
    if (from >= to) {
      throw new IllegalArgumentException("prunedLayers " + this + " leaves no kernel to prune in"
          + " a model with " + kernels.size() + " kernel(s)");
    }
    return kernels.subList(from, to);
  }
}
